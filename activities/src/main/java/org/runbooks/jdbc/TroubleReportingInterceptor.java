package org.runbooks.jdbc;

import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkerInterceptorBase;

import java.time.Clock;

/**
 * Registered once on the worker factory, it watches every activity's attempts and, when one fails because a
 * database or webhook cannot be reached, reports it ({@link TroubleReports}) before the failure goes back to Temporal,
 * which then retries the attempt. The activities themselves stay unaware of it.
 */
public final class TroubleReportingInterceptor extends WorkerInterceptorBase {

    private final TroubleReports reports;
    private final Clock clock;

    public TroubleReportingInterceptor(TroubleReports reports) {
        this(reports, Clock.systemUTC());
    }

    TroubleReportingInterceptor(TroubleReports reports, Clock clock) {
        this.reports = reports;
        this.clock = clock;
    }

    @Override
    public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
        return new TroubleReportingAttempt(next, reports, clock);
    }
}
