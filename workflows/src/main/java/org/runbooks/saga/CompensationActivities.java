package org.runbooks.saga;

import org.runbooks.stream.StreamActivities;
import org.runbooks.backfill.BackfillActivities;
import org.runbooks.flag.FlagActivities;
import org.runbooks.sql.SqlActivities;

/** The activity stubs compensations run through; the workflow builds them with rollback-grade retry options. */
public record CompensationActivities(FlagActivities flags, BackfillActivities backfill, SqlActivities sql,
                                     StreamActivities streams, org.runbooks.cutover.CutoverActivities cutover) {
}
