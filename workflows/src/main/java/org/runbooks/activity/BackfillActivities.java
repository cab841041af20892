package org.runbooks.activity;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Copies rows between connections and undoes a copy. */
@ActivityInterface
public interface BackfillActivities {

    /**
     * Copies the whole table in keyset chunks. Each chunk is an upsert committed in one transaction, so a retried
     * chunk rewrites the same rows with the same values: nothing is doubled. After every chunk the checkpoint
     * ({@link BackfillCheckpoint}) goes into the heartbeat details; a retry resumes after the last committed key.
     * {@code request.idempotencyKey()} (run id + step id) names the copy in logs and the chunk audit.
     */
    @ActivityMethod
    BackfillResult copyTable(BackfillRequest request);

    /**
     * Compensation for {@link #copyTable}: deletes the rows the copy wrote (as its progress record bounds them), when
     * the target was empty before it began;
     * otherwise leaves them and says why. Returns what it did, for the compensation log. Deleting an already deleted
     * range is a no-op, so retries are safe; a copy that never started leaves nothing to remove.
     */
    @ActivityMethod
    String removeCopiedRows(RemoveCopiedRows request);
}
