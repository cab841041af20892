package org.runbooks.jdbc;

import io.temporal.activity.ActivityInfo;
import io.temporal.client.WorkflowClient;
import org.runbooks.api.ActivityTrouble;
import org.runbooks.api.PhaseWorkflow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reports trouble with the phase's {@code activityTrouble} signal, to the very run that scheduled the activity. Only
 * phases listen: the runbook's own activities (its load, its compensations) are not reported. A signal that fails
 * (the run has ended, Temporal is unreachable) or takes too long is logged and dropped, so the attempt still fails
 * with its own error.
 */
public final class SignalTroubleReports implements TroubleReports {

    /** Longest a failing attempt waits for its report to be delivered before it fails anyway: 5 s. */
    static final Duration DELIVERY_WAIT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(SignalTroubleReports.class);

    private final WorkflowClient client;
    private final ExecutorService sender = Executors.newVirtualThreadPerTaskExecutor();

    public SignalTroubleReports(WorkflowClient client) {
        this.client = client;
    }

    @Override
    public void report(ActivityInfo attempt, ActivityTrouble trouble) {
        if (!PhaseWorkflow.TYPE.equals(attempt.getWorkflowType())) {
            return;
        }
        String to = attempt.getWorkflowId() + " (run " + attempt.getRunId() + ")";
        try {
            Future<?> sent = sender.submit(() -> client.newWorkflowStub(PhaseWorkflow.class, attempt.getWorkflowId(),
                    Optional.of(attempt.getRunId())).activityTrouble(trouble));
            try {
                sent.get(DELIVERY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                sent.cancel(true);
                log.warn("trouble of {} attempt {} not reported to {}: no answer within {} s",
                        trouble.activityType(), trouble.attempt(), to, DELIVERY_WAIT.toSeconds());
            } catch (ExecutionException e) {
                log.warn("trouble of {} attempt {} not reported to {}: {}", trouble.activityType(), trouble.attempt(),
                        to, e.getCause().toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("trouble of {} attempt {} not reported to {}: interrupted", trouble.activityType(),
                    trouble.attempt(), to);
        } catch (RuntimeException e) {
            log.warn("trouble of {} attempt {} not reported to {}: {}", trouble.activityType(), trouble.attempt(), to,
                    e.toString());
        }
    }
}
