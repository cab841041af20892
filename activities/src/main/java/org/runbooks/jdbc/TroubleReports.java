package org.runbooks.jdbc;

import io.temporal.activity.ActivityInfo;
import org.runbooks.api.ActivityTrouble;

/**
 * Where an activity tells the workflow that scheduled it that an attempt failed because something it needs cannot be
 * reached, just before the attempt fails. Workflow code never sees an activity's retries, so this is how the
 * runbook's {@code status} learns that a step is retrying rather than running.
 *
 * <p>Implementations never throw: a report that cannot be delivered must not hide the failure it reports.
 */
public interface TroubleReports {

    /** Reports {@code trouble} of the attempt described by {@code attempt} to the workflow run that scheduled it. */
    void report(ActivityInfo attempt, ActivityTrouble trouble);
}
