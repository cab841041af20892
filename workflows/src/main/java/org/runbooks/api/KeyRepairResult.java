package org.runbooks.api;

import org.runbooks.backfill.BackfillActivities;

/**
 * What one {@link BackfillActivities#repairKeys} call did: {@code upserted} keys the source has, written as the
 * source holds them now; {@code deleted} target rows whose key the source no longer has; {@code absent} keys neither
 * side has any more (a row deleted on both sides since the comparison), which needed nothing.
 */
public record KeyRepairResult(int upserted, int deleted, int absent) {
}
