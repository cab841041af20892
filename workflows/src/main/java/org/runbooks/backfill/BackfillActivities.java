package org.runbooks.backfill;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import org.runbooks.api.KeyRepairResult;
import org.runbooks.api.RemoveCopiedRows;

/**
 * Copies rows between connections and undoes a copy. A phase drives a copy in bounded pieces ({@link #planCopy}
 * once, then {@link #copySlice} per range until every range is done); {@link #copyTable} is the one long activity
 * that runbooks started before slices existed still call.
 */
@ActivityInterface
public interface BackfillActivities {

    /**
     * Copies the whole table in keyset chunks. Each chunk is an upsert committed in one transaction, so a retried
     * chunk rewrites the same rows with the same values: nothing is doubled. After every chunk the checkpoint
     * ({@link BackfillCheckpoint}) goes into the heartbeat details; a retry resumes after the last committed key.
     * {@code request.idempotencyKey()} (run id + step id) names the copy in logs and the chunk audit.
     */
    @ActivityMethod(name = "CopyTable")
    BackfillResult copyTable(BackfillRequest request);

    /**
     * Checks the columns on both sides, cuts the copy into key ranges and records them, with one progress row per
     * range, on the target; counts the source's rows as the estimate. Idempotent on {@code request.idempotencyKey()}:
     * a copy planned before keeps its ranges, and its cursors come back as recorded.
     */
    @ActivityMethod(name = "PlanCopy")
    CopyPlan planCopy(CopyPlanRequest request);

    /**
     * Copies one key range onwards from where the target's progress table says it stopped, for a bounded number of
     * chunks or time, heartbeating the range's checkpoint after every chunk. Each chunk is an upsert committed with
     * the range's progress row in one transaction, and the progress row only moves forward from the state this call
     * read, so a retried or repeated slice (same {@code idempotencyKey} and range) never writes a chunk twice.
     */
    @ActivityMethod(name = "CopySlice")
    SliceResult copySlice(SliceRequest request);

    /**
     * Re-copies exactly the keys a validation found different, for a validate step's {@code repair}: each key the
     * source has is read as the backfill reads it and upserted into the target; a target row whose key the source
     * lacks is deleted. All in one target transaction, after reading the source in a read-only one. Idempotent: it
     * brings each key to the source's current state, so a retry (same {@code idempotencyKey}) or a second round
     * writes the same rows again and deletes nothing twice.
     */
    @ActivityMethod(name = "RepairKeys")
    KeyRepairResult repairKeys(KeyRepairRequest request);

    /**
     * Compensation for a copy, whole or in slices (both keep the same progress records): deletes the rows the copy
     * wrote (as its progress record bounds them), when the target was empty before it began;
     * otherwise leaves them and says why. Returns what it did, for the compensation log. Deleting an already deleted
     * range is a no-op, so retries are safe; a copy that never started leaves nothing to remove.
     */
    @ActivityMethod(name = "RemoveCopiedRows")
    String removeCopiedRows(RemoveCopiedRows request);
}
