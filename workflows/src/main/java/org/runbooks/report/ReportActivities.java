package org.runbooks.report;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Writes the migration report when a runbook ends, for the people who sign it off and the tools that file it. */
@ActivityInterface
public interface ReportActivities {

    /**
     * Writes {@code report} as Markdown and as JSON into the worker's report directory and returns both paths. The
     * file names come from the runbook's workflow id and run id (its idempotency key), and each file is replaced
     * whole, so a retried attempt leaves the same two files.
     */
    @ActivityMethod
    ReportFiles writeReport(MigrationReport report);
}
