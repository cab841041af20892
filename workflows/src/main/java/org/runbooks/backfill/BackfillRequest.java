package org.runbooks.backfill;

import org.runbooks.model.BackfillStep;

/**
 * What {@link BackfillActivities#copyTable} copies, the key that names this copy (run id + step id), and the knobs
 * in force: {@code chunkRows} (null: the step's own) and {@code rowsPerSecond} (0: unlimited).
 */
public record BackfillRequest(String idempotencyKey, String runbook, BackfillStep step, Integer chunkRows,
                              long rowsPerSecond) {

    public BackfillRequest(String idempotencyKey, String runbook, BackfillStep step) {
        this(idempotencyKey, runbook, step, null, 0);
    }

    /** The chunk size this call uses. */
    public int effectiveChunkRows() {
        return chunkRows == null ? step.chunkRows() : chunkRows;
    }
}
