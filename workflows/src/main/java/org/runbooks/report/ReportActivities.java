package org.runbooks.report;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import org.runbooks.api.ReportFiles;

/** Writes the migration report when a runbook ends, for the people who sign it off and the tools that file it. */
@ActivityInterface
public interface ReportActivities {

    /**
     * Writes {@code report} as Markdown and as JSON into the worker's report directory and returns both paths. The
     * file names come from the runbook's workflow id and whole first run id (its idempotency key). A file is never
     * replaced: a retried attempt that finds its own identical report is done, and a different report under a taken name fails
     * with the non-retryable type {@code ReportExists}.
     */
    @ActivityMethod(name = "WriteReport")
    ReportFiles writeReport(MigrationReport report);
}
