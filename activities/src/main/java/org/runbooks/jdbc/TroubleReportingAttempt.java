package org.runbooks.jdbc;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import org.runbooks.api.ActivityTrouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * One attempt of one activity, as {@link TroubleReportingInterceptor} sees it: the failure it ends with is rethrown
 * unchanged, after the trouble, if it is trouble, has been reported. Local activities are not reported: they retry
 * inside the workflow task, where no signal can be handled.
 */
final class TroubleReportingAttempt extends ActivityInboundCallsInterceptorBase {

    private static final Logger log = LoggerFactory.getLogger(TroubleReportingAttempt.class);

    private final TroubleReports reports;
    private final Clock clock;
    private ActivityExecutionContext context;

    TroubleReportingAttempt(ActivityInboundCallsInterceptor next, TroubleReports reports, Clock clock) {
        super(next);
        this.reports = reports;
        this.clock = clock;
    }

    @Override
    public void init(ActivityExecutionContext context) {
        this.context = context;
        super.init(context);
    }

    @Override
    public ActivityOutput execute(ActivityInput input) {
        try {
            return super.execute(input);
        } catch (RuntimeException failure) {
            report(failure);
            throw failure;
        }
    }

    private void report(RuntimeException failure) {
        try {
            ActivityInfo info = context.getInfo();
            if (info.isLocal()) {
                return;
            }
            Failures.unreachable(failure).ifPresent(error -> reports.report(info, new ActivityTrouble(
                    info.getActivityType(), info.getAttempt(), error, clock.instant().toString())));
        } catch (RuntimeException e) {
            log.warn("trouble not reported; the attempt fails with its own error: {}", e.toString());
        }
    }
}
