package org.runbooks.flag;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import org.runbooks.api.FlagRestore;

/** Feature flags kept in a flags table on a connection. */
@ActivityInterface
public interface FlagActivities {

    /**
     * Sets the flag and returns the value it had before. Idempotent by {@code change.idempotencyKey()} (run id +
     * step id): a retry after a lost reply returns the previous value recorded by the first attempt. A cancel stops
     * the change ({@code Statement.cancel()}) and rolls it back.
     */
    @ActivityMethod(name = "SetFlag")
    FlagValue setFlag(FlagChange change);

    /**
     * Compensation for {@link #setFlag}: puts back the value recorded before the change named by
     * {@code restore.changeKey()}, or removes the flag if it did not exist, but only while the flag still holds the
     * value that change set (compare-and-set): a flag someone changed since is left as it is, and the result starts
     * with {@code conflict:}. Returns what it did. A change that was never made leaves nothing to restore; restoring
     * twice gives the same result.
     */
    @ActivityMethod(name = "RestoreFlag")
    String restoreFlag(FlagRestore restore);
}
