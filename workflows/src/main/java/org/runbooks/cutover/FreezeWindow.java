package org.runbooks.cutover;

import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import org.runbooks.flag.FlagActivities;
import org.runbooks.sql.SqlActivities;
import org.runbooks.stream.StreamActivities;

import java.time.Duration;

/**
 * The calls a switch (or a switch back) makes while writes are frozen, as local activities: each runs in the worker
 * that runs the workflow, right away, with no trip through the task queue and no new workflow task between two of
 * them. Through the task queue each call cost 100-200 ms on a loaded machine, and a switch made about eight of them
 * while the application could not write. Every call here is idempotent (by freeze id, stream id or flag key), so a
 * worker that dies during one has the workflow task retried elsewhere and the call made again, harmlessly.
 */
public final class FreezeWindow {

    /**
     * The {@code Workflow.getVersion} change id that moves the switch's calls inside the freeze to local activities,
     * stops the forward stream without waiting for it before the flip, and registers the reverse stream's drop before
     * the freeze rather than inside it; a switch recorded before it replays through the task queue.
     */
    public static final String LOCAL_SWITCH_CHANGE = "cutover-local-switch";

    /** The same for the switch back (see {@code SwitchBacks}): its calls inside the freeze run as local activities. */
    public static final String LOCAL_SWITCH_BACK_CHANGE = "switch-back-local";

    /**
     * Longest one call inside the freeze may take, waiting for the stream aside: 10 minutes, the freeze's own wait for
     * open transactions included (bounded by the connection's lock timeout).
     */
    public static final Duration CALL_MAX = Duration.ofMinutes(10);

    /** How much longer than its catch-up bound the wait for the stream may run before it counts as lost: 1 minute. */
    public static final Duration AWAIT_SLACK = Duration.ofMinutes(1);

    private FreezeWindow() {
    }

    public static CutoverActivities cutover(RetryOptions retries) {
        return Workflow.newLocalActivityStub(CutoverActivities.class, options(CALL_MAX, retries));
    }

    public static FlagActivities flags(RetryOptions retries) {
        return Workflow.newLocalActivityStub(FlagActivities.class, options(CALL_MAX, retries));
    }

    public static SqlActivities sql(RetryOptions retries) {
        return Workflow.newLocalActivityStub(SqlActivities.class, options(CALL_MAX, retries));
    }

    /** Stream calls inside the freeze; {@code catchUpMillis} bounds the wait for the stream to apply up to it. */
    public static StreamActivities streams(long catchUpMillis, RetryOptions retries) {
        return Workflow.newLocalActivityStub(StreamActivities.class,
                options(CALL_MAX.plus(Duration.ofMillis(catchUpMillis)).plus(AWAIT_SLACK), retries));
    }

    private static LocalActivityOptions options(Duration max, RetryOptions retries) {
        return LocalActivityOptions.newBuilder()
                .setStartToCloseTimeout(max)
                .setRetryOptions(retries)
                .build();
    }
}
