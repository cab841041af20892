package org.runbooks.report;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import org.runbooks.notify.Notification;
import org.runbooks.notify.NotifyActivities;
import org.runbooks.step.StepOptions;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Posts the runbook's automatic notifications to the webhook its {@code notify:} names, through the notify activity.
 * Each post starts without waiting and outside any cancellation (a cancelled runbook still says it rolled back); one
 * that fails after its retries is logged and never stops a migration. Before the runbook returns, it waits a bounded
 * time for the posts still in flight, so the last one (the outcome) is not dropped when the workflow closes.
 */
final class AutoNotifier {

    /**
     * Retries of one automatic post: 5 attempts, 1 s doubling to 10 s apart (about 15 s of retrying), short because
     * the runbook waits for its last posts before it ends.
     */
    static final RetryOptions RETRIES = RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setBackoffCoefficient(2.0)
            .setMaximumInterval(Duration.ofSeconds(10))
            .setMaximumAttempts(5)
            .build();

    /** Longest the runbook waits at its end for posts still in flight: 2 minutes. */
    static final Duration FINAL_WAIT = Duration.ofMinutes(2);

    private static final Logger log = Workflow.getLogger(AutoNotifier.class);

    private final NotifyActivities notifier = Workflow.newActivityStub(NotifyActivities.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(StepOptions.NOTIFY_MAX).setRetryOptions(RETRIES).build());
    private final String webhook;
    private final String runbook;
    private final String runKey;
    private final List<Promise<Void>> inFlight = new ArrayList<>();
    private int sent;

    AutoNotifier(String webhook, String runbook, String runKey) {
        this.webhook = webhook;
        this.runbook = runbook;
        this.runKey = runKey;
    }

    /** Posts {@code message}; the idempotency key is the run key and the post's number in this run. */
    void post(String phase, String step, String message) {
        sent++;
        Notification notification = new Notification(runKey + "/auto-" + sent, webhook, runbook, phase, step, message);
        Workflow.newDetachedCancellationScope(() -> inFlight.add(Async.function(notifier::notify, notification)
                .handle((status, failure) -> {
                    if (failure != null) {
                        log.warn("runbook={} phase={} step={} automatic notification to {} not delivered: {}",
                                runbook, phase, step, webhook, failure.getMessage());
                    }
                    return null;
                }))).run();
    }

    /** Waits (at most {@link #FINAL_WAIT}) for every post to be delivered or given up. */
    void awaitInFlight() {
        if (inFlight.stream().allMatch(Promise::isCompleted)) {
            return;
        }
        Workflow.newDetachedCancellationScope(() -> Workflow.await(FINAL_WAIT,
                () -> inFlight.stream().allMatch(Promise::isCompleted))).run();
    }
}
