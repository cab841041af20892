package org.runbooks.backfill;

import org.runbooks.api.CopyRange;
import org.runbooks.api.RangeCursor;
import org.runbooks.model.BackfillStep;

/**
 * One bounded piece of a copy for {@link BackfillActivities#copySlice}: key range {@code range} of the copy named
 * {@code idempotencyKey}, from {@code cursor}, in chunks of {@code chunkRows}, at most {@code maxChunks} chunks or
 * {@code budgetMillis} of copying, whichever ends first, at no more than {@code rowsPerSecond} (0: no limit; the
 * workflow has already divided the step's rate among the slices that run at once). With a throttle probe,
 * {@code chunkRows} is the most a chunk grows back to and {@code throttledChunkRows} the size the throttle had cut it
 * to when the last slice ended (null: start at {@code chunkRows}).
 */
public record SliceRequest(String idempotencyKey, String runbook, BackfillStep step, CopyRange range,
                           RangeCursor cursor, int chunkRows, long rowsPerSecond, int maxChunks, long budgetMillis,
                           Integer throttledChunkRows) {

    /** A slice that starts at the configured chunk size. */
    public SliceRequest(String idempotencyKey, String runbook, BackfillStep step, CopyRange range, RangeCursor cursor,
                        int chunkRows, long rowsPerSecond, int maxChunks, long budgetMillis) {
        this(idempotencyKey, runbook, step, range, cursor, chunkRows, rowsPerSecond, maxChunks, budgetMillis, null);
    }
}
