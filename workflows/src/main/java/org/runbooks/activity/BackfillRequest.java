package org.runbooks.activity;

import org.runbooks.model.BackfillStep;

/** What {@link BackfillActivities#copyTable} copies, and the key that names this copy (run id + step id). */
public record BackfillRequest(String idempotencyKey, String runbook, BackfillStep step) {
}
