package org.runbooks.saga;

import org.runbooks.activity.BackfillActivities;
import org.runbooks.activity.FlagActivities;
import org.runbooks.activity.SqlActivities;

/** The activity stubs compensations run through; the workflow builds them with rollback-grade retry options. */
public record CompensationActivities(FlagActivities flags, BackfillActivities backfill, SqlActivities sql) {
}
