package org.runbooks.activity;

import org.runbooks.model.BackfillStep;

/**
 * One bounded piece of a copy for {@link BackfillActivities#copySlice}: key range {@code range} of the copy named
 * {@code idempotencyKey}, from {@code cursor}, in chunks of {@code chunkRows}, at most {@code maxChunks} chunks or
 * {@code budgetMillis} of copying, whichever ends first, at no more than {@code rowsPerSecond} (0: no limit; the
 * workflow has already divided the step's rate among the slices that run at once).
 */
public record SliceRequest(String idempotencyKey, String runbook, BackfillStep step, CopyRange range,
                           RangeCursor cursor, int chunkRows, long rowsPerSecond, int maxChunks, long budgetMillis) {
}
