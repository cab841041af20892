package org.runbooks.stream;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import org.runbooks.api.Knobs;
import org.runbooks.api.PhaseEvent;
import org.runbooks.api.RunbookWorkflow;
import org.runbooks.api.StreamView;
import org.runbooks.step.StepOptions;
import org.slf4j.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Holds, applies, pauses and stops one stream (see {@link StreamWorkflow}). Applying is one long-running
 * {@code StreamRun} activity, cancelled (and waited for, so the slot is free) to pause, to stop, or to continue as
 * new; every {@link #LAG_EVERY} the lag is read and, when it moved enough to matter, reported to the runbook.
 */
public class StreamWorkflowImpl implements StreamWorkflow {

    private static final Logger log = Workflow.getLogger(StreamWorkflowImpl.class);

    /** How often the lag is read while the stream applies. */
    static final Duration LAG_EVERY = Duration.ofSeconds(10);
    /** A report goes to the runbook at least this often while changes are applied, and at once on any state change. */
    static final Duration REPORT_EVERY = Duration.ofMinutes(1);
    /**
     * And at least this often while nothing changes: a report is also how the stream learns that its runbook is gone
     * (terminated), and then it stops and drops its slot. Ten minutes keep a 72-hour soak's history small.
     */
    static final Duration KEEP_ALIVE_EVERY = Duration.ofMinutes(10);
    /**
     * The {@code Workflow.getVersion} change id after which a stream that fails for good waits for a retry or a stop
     * instead of ending FAILED; its runbook shows it as a failed step.
     */
    public static final String FAILED_WAITS_CHANGE = "stream-failed-waits";
    /** How long a stop request in the database is given to end the apply before it is cancelled instead. */
    static final Duration STOP_WAIT = Duration.ofSeconds(15);

    private final StreamActivities apply = Workflow.newActivityStub(StreamActivities.class, StepOptions.streamApply());
    private final StreamActivities read = Workflow.newActivityStub(StreamActivities.class, StepOptions.streamLag());
    private final StreamActivities drop = Workflow.newActivityStub(StreamActivities.class, StepOptions.compensation());
    private final StreamRequest request;
    private final Set<String> copied = new LinkedHashSet<>();
    private boolean paused;
    private String stopWhy;
    private StreamView view;
    private StreamView reported;
    private long reportedAt;
    private boolean runbookGone;
    private String retryBy;
    /** Set once an operator retried a failed stream: its next apply adopts the source's changed columns. */
    private boolean schemaAdopted;

    @WorkflowInit
    public StreamWorkflowImpl(StreamRequest request) {
        this.request = request;
        copied.addAll(request.copied());
        paused = request.paused();
        view = request.last() != null ? request.last()
                : new StreamView(request.step(), StreamView.HOLDING, -1, -1, -1, 0, null, null, null);
        reported = request.last();
    }

    @Override
    public StreamView run(StreamRequest ignored) {
        if (!holdDone()) {
            report(StreamView.HOLDING, "holds its changes until " + String.join(", ", missingCopies())
                    + " completes");
            Workflow.await(() -> holdDone() || stopWhy != null);
        }
        while (stopWhy == null) {
            if (paused) {
                report(StreamView.PAUSED, "paused with the runbook; the source keeps the changes");
                Workflow.await(() -> !paused || stopWhy != null);
                continue;
            }
            if (continueDue()) {
                log.info("runbook={} stream={} continues as new after {} events", request.runbook(), request.step(),
                        Workflow.getInfo().getHistoryLength());
                Workflow.continueAsNew(request.continued(List.copyOf(copied), paused, view));
            }
            String ended;
            try {
                ended = applyUntilInterrupted();
            } catch (ActivityFailure e) {
                if (Workflow.getVersion(FAILED_WAITS_CHANGE, Workflow.DEFAULT_VERSION, 1) < 1) {
                    throw e;
                }
                awaitRetryOrStop();
                continue;
            }
            if (ended != null) {
                stopWhy = ended;
            }
        }
        if (runbookGone) {
            StreamDropped dropped = drop.dropStream(request.spec());
            stopWhy = stopWhy + "; " + dropped.summary();
        }
        view = with(StreamView.STOPPED, stopWhy);
        report(StreamView.STOPPED, stopWhy);
        log.info("runbook={} stream={} stopped: {}", request.runbook(), request.step(), stopWhy);
        return view;
    }

    /**
     * Applies until a pause, a stop or continue-as-new interrupts (returns null), or until the activity returns by
     * itself after a stop was requested in the database (returns why). An apply that fails for good is reported and
     * fails the stream.
     */
    private String applyUntilInterrupted() {
        report(StreamView.APPLYING, null);
        List<Promise<StreamRunResult>> running = new ArrayList<>(1);
        CancellationScope scope = Workflow.newCancellationScope(
                () -> running.add(Async.function(apply::runStream,
                        schemaAdopted ? request.spec().adoptingSchema() : request.spec())));
        scope.run();
        Promise<StreamRunResult> run = running.get(0);
        while (!run.isCompleted()) {
            Workflow.await(LAG_EVERY, () -> run.isCompleted() || paused || stopWhy != null || continueDue());
            if (run.isCompleted()) {
                break;
            }
            if (paused || stopWhy != null || continueDue()) {
                // The stop request in the target's position row ends the apply within a second wherever it runs;
                // the cancel, heard at the apply's next heartbeat, is the fallback when that row cannot be written.
                try {
                    read.stopStream(request.spec());
                } catch (ActivityFailure e) {
                    log.warn("runbook={} stream={} stop request not written; cancelling the apply", request.runbook(),
                            request.step());
                }
                Workflow.await(STOP_WAIT, run::isCompleted);
                if (!run.isCompleted()) {
                    scope.cancel();
                }
                try {
                    run.get();
                } catch (ActivityFailure e) {
                    if (!(e.getCause() instanceof CanceledFailure) && stopWhy == null) {
                        throw failed(e);
                    }
                }
                return null;
            }
            readLag();
        }
        try {
            StreamRunResult result = run.get();
            return "stopped: " + result.stoppedBecause() + " after " + result.changesApplied() + " changes";
        } catch (ActivityFailure e) {
            if (stopWhy != null) {
                // Being stopped and dropped by the runbook: an apply that saw its position go ended as it should.
                return stopWhy;
            }
            throw failed(e);
        }
    }

    /**
     * Failed for good and reported so: waits for the operator's retry (through the runbook's resolveFailure) or a
     * stop, telling the runbook again every {@link #KEEP_ALIVE_EVERY}, which is also how it learns the runbook is gone.
     */
    private void awaitRetryOrStop() {
        retryBy = null;
        while (retryBy == null && stopWhy == null) {
            if (!Workflow.await(KEEP_ALIVE_EVERY, () -> retryBy != null || stopWhy != null)) {
                send();
            }
        }
        if (retryBy != null && stopWhy == null) {
            schemaAdopted = true;
            log.info("runbook={} stream={} retried by {}", request.runbook(), request.step(), retryBy);
        }
    }

    private RuntimeException failed(ActivityFailure e) {
        Throwable cause = e.getCause();
        String why = cause instanceof ApplicationFailure app ? app.getOriginalMessage() + " (" + app.getType() + ")"
                : cause == null ? e.getMessage() : cause.getMessage();
        report(StreamView.FAILED, why);
        log.error("runbook={} stream={} failed: {}", request.runbook(), request.step(), why);
        return e;
    }

    private void readLag() {
        StreamLag lag;
        try {
            lag = read.streamLag(request.spec());
        } catch (ActivityFailure e) {
            return; // read again at the next tick; the apply's own retries show in its lag
        }
        view = new StreamView(request.step(), view.state(), lag.lagSeconds(), lag.bytesBehind(), lag.retainedBytes(),
                lag.changesApplied(), lag.appliedPosition(), view.detail(), now());
        Workflow.setCurrentDetails(view.line());
        if (reported == null || bucket(view.lagSeconds()) != bucket(reported.lagSeconds())
                || (view.changesApplied() != reported.changesApplied()
                && Workflow.currentTimeMillis() - reportedAt >= REPORT_EVERY.toMillis())
                || Workflow.currentTimeMillis() - reportedAt >= KEEP_ALIVE_EVERY.toMillis()) {
            send();
        }
    }

    /** Lag in bands an operator cares about: unknown, caught up, seconds, half a minute, minutes, more. */
    static int bucket(double lagSeconds) {
        if (lagSeconds < 0) {
            return -1;
        }
        return lagSeconds < 1 ? 0 : lagSeconds < 5 ? 1 : lagSeconds < 30 ? 2 : lagSeconds < 300 ? 3 : 4;
    }

    private void report(String state, String detail) {
        view = with(state, detail);
        Workflow.setCurrentDetails(view.line());
        if (reported == null || !state.equals(reported.state()) || !java.util.Objects.equals(detail, reported.detail())) {
            send();
        }
    }

    private StreamView with(String state, String detail) {
        return new StreamView(request.step(), state, view.lagSeconds(), view.bytesBehind(), view.retainedBytes(),
                view.changesApplied(), view.appliedPosition(), detail, now());
    }

    /**
     * Tells the runbook. A runbook that is gone (terminated, or ended without stopping its streams) can no longer stop
     * this stream, so the stream stops itself and drops its slot rather than let the source keep WAL for nobody.
     */
    private void send() {
        reported = view;
        reportedAt = Workflow.currentTimeMillis();
        if (runbookGone) {
            return;
        }
        try {
            Workflow.newExternalWorkflowStub(RunbookWorkflow.class, request.runbookWorkflow())
                    .phaseEvent(new PhaseEvent.StreamReport(request.phase(), request.step(), view));
        } catch (SignalExternalWorkflowException | ApplicationFailure e) {
            // The SDK reports a signal to a closed or unknown workflow as an ApplicationFailure of type
            // SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND.
            runbookGone = true;
            if (stopWhy == null) {
                stopWhy = "its runbook " + request.runbookWorkflow() + " is gone";
            }
        }
    }

    private boolean holdDone() {
        return copied.containsAll(request.awaitsCopies());
    }

    private List<String> missingCopies() {
        return request.awaitsCopies().stream().filter(c -> !copied.contains(c)).toList();
    }

    private boolean continueDue() {
        return Workflow.getInfo().getHistoryLength() >= request.limit();
    }

    private static String now() {
        return Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
    }

    @Override
    public void copied(String step) {
        copied.add(step);
    }

    @Override
    public void knobs(Knobs knobs) {
        paused = knobs.paused();
    }

    @Override
    public void stop(String why) {
        if (stopWhy == null) {
            stopWhy = why;
        }
    }

    @Override
    public void retry(String by) {
        if (StreamView.FAILED.equals(view.state())) {
            retryBy = by == null ? "unknown" : by;
        }
    }

    @Override
    public StreamView stream() {
        return view;
    }
}
