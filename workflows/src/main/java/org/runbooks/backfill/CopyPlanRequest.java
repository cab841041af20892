package org.runbooks.backfill;

import org.runbooks.model.BackfillStep;

/**
 * What {@link BackfillActivities#planCopy} plans: the copy named {@code idempotencyKey} (run id + step id), cut into
 * at most {@code ranges} key ranges (the parallelism in force when the copy starts).
 */
public record CopyPlanRequest(String idempotencyKey, String runbook, BackfillStep step, int ranges) {
}
