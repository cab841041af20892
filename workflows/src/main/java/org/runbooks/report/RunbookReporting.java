package org.runbooks.report;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import org.runbooks.api.CompensationRecord;
import org.runbooks.api.ControlEntry;
import org.runbooks.api.GateVerdict;
import org.runbooks.api.Knobs;
import org.runbooks.api.LoadedRunbook;
import org.runbooks.api.PhaseEvent;
import org.runbooks.api.PhaseResult;
import org.runbooks.api.ReportFiles;
import org.runbooks.api.ReportingCarryOver;
import org.runbooks.api.RunbookResult;
import org.runbooks.api.RunbookState;
import org.runbooks.api.ValidationReport;
import org.runbooks.model.GateStep;
import org.runbooks.model.Phase;
import org.runbooks.model.Runbook;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.List;

/**
 * Tells the world outside a runbook's history what the runbook does: its metrics, its automatic notifications (when
 * the runbook names a webhook) and, when it ends, the migration report. The runbook calls it at a handful of points
 * and it decides nothing: a webhook or a report that fails is logged, and the migration goes on.
 *
 * <p>The behaviours that issue commands are guarded by their own version ({@link #NOTIFY_CHANGE},
 * {@link #REPORT_CHANGE}, {@link #CANCEL_CHANGE}), so histories recorded before them replay unchanged. Metrics issue
 * no command.
 */
public final class RunbookReporting {

    static final String NOTIFY_CHANGE = "auto-notify";
    static final String REPORT_CHANGE = "migration-report";
    /** Since this version a cancel ends the running phase, its open steps and its waiting gate as cancelled. */
    static final String CANCEL_CHANGE = "report-cancelled-phase";

    /** Writing the report: 1 minute per attempt, 5 attempts 1 s doubling to 10 s apart; then it is logged missing. */
    static final ActivityOptions REPORT_OPTIONS = ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(1))
            .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1))
                    .setBackoffCoefficient(2.0).setMaximumInterval(Duration.ofSeconds(10)).setMaximumAttempts(5).build())
            .build();

    private static final Logger log = Workflow.getLogger(RunbookReporting.class);

    private Runbook runbook;
    private LoadedRunbook loaded;
    private String startedBy;
    private long startedAt;
    private RunbookTimeline timeline;
    private RunbookMetrics metrics;
    private AutoNotifier notifier;
    private RunbookState state;
    private GateStep openGate;
    private long gateOpenedAt;

    /**
     * Called once the runbook is loaded and checked (before it, nothing is reported), or when a run continued as new
     * with {@code earlier} (null on the first run): the timings of the runs before it.
     */
    public void started(LoadedRunbook loaded, String startedBy, String runKey, ReportingCarryOver earlier) {
        this.loaded = loaded;
        this.runbook = loaded.runbook();
        this.startedBy = startedBy;
        this.startedAt = earlier == null ? Workflow.currentTimeMillis() : earlier.startedAt();
        this.timeline = new RunbookTimeline(runbook);
        if (earlier != null) {
            timeline.restore(earlier.phases(), earlier.rollbacks());
        }
        this.metrics = new RunbookMetrics(Workflow.getMetricsScope(), runbook.name());
        if (runbook.autoNotify() != null
                && Workflow.getVersion(NOTIFY_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
            notifier = new AutoNotifier(runbook.autoNotify().webhook(), runbook.name(), runKey);
        }
    }

    /** What the next run needs when this one continues as new; null before the runbook was loaded. */
    public ReportingCarryOver carryOver() {
        return timeline == null ? null : new ReportingCarryOver(startedAt, timeline.phases(), timeline.rollbacks());
    }

    public void stateEntered(RunbookState next) {
        if (metrics != null) {
            metrics.stateChanged(state, next);
            state = next;
        }
    }

    public void phaseStarted(Phase phase) {
        timeline.phaseStarted(phase, Workflow.currentTimeMillis());
    }

    /** A gate the phase left undecided (it timed out into a rollback, or a rollback stopped it) closes here. */
    public void phaseEnded(Phase phase, PhaseResult result, boolean stoppedForRollback) {
        if (openGate != null) {
            gateClosed(stoppedForRollback ? "abandoned" : "timed-out", result.reason());
        }
        timeline.phaseEnded(phase.name(), result.outcome(), stoppedForRollback, Workflow.currentTimeMillis());
    }

    /**
     * The runbook was cancelled while {@code phase} ran: the phase, its open steps and a waiting gate end as
     * cancelled (before this, the report listed them as running forever). Call it outside the cancelled scope.
     */
    public void phaseCancelled(Phase phase, String why) {
        if (timeline == null || Workflow.getVersion(CANCEL_CHANGE, Workflow.DEFAULT_VERSION, 1) < 1) {
            return;
        }
        if (openGate != null) {
            gateClosed("cancelled", why);
        }
        timeline.phaseCancelled(phase.name(), Workflow.currentTimeMillis());
    }

    public void phaseEvent(PhaseEvent event) {
        if (timeline == null) {
            return;
        }
        timeline.record(event, Workflow.currentTimeMillis());
        switch (event) {
            case PhaseEvent.GateOpened e -> {
                openGate = e.gate();
                gateOpenedAt = Workflow.currentTimeMillis();
                post(e.phase(), e.step(), AutoNotifyMessages.gateWaiting(runbook.name(), e.gate(),
                        Workflow.getInfo().getWorkflowId()));
            }
            case PhaseEvent.GateTimedOut e -> gateClosed("timed-out", e.reason());
            case PhaseEvent.StepCompleted e -> validated(e.phase(), e.step(), e.evidence());
            case PhaseEvent.Evidence e -> validated(e.phase(), e.step(), e.evidence());
            default -> {
            }
        }
    }

    private void validated(String phase, String step, ValidationReport evidence) {
        if (evidence != null) {
            metrics.validated(evidence);
            if (!evidence.passed()) {
                post(phase, step, AutoNotifyMessages.validationFailed(runbook.name(), evidence));
            }
        }
    }

    public void gateDecided(GateVerdict verdict) {
        if (openGate != null) {
            gateClosed(verdict.approved() ? "approved" : "rejected", verdict.reason());
        }
    }

    public void rollbackStarted(String domain, String why) {
        if (timeline == null) {
            return;
        }
        timeline.rollbackStarted(domain, why, Workflow.currentTimeMillis());
        post(null, null, AutoNotifyMessages.rollbackStarted(runbook.name(), domain, why));
    }

    public void rollbackEnded(String domain, List<CompensationRecord> log) {
        if (timeline == null) {
            return;
        }
        long millis = timeline.rollbackEnded(log, Workflow.currentTimeMillis());
        metrics.rolledBack(domain, Duration.ofMillis(millis));
        post(null, null, AutoNotifyMessages.rollbackEnded(runbook.name(), domain, millis, log));
    }

    /**
     * Writes the report (outside any cancellation: a cancelled runbook reports too), posts the outcome, waits for the
     * posts in flight, and returns where the report went; null when it could not be written, or the run predates it.
     */
    public ReportFiles finished(RunbookResult result, List<ControlEntry> controls, Knobs knobs,
                                List<org.runbooks.api.StreamView> streams, List<org.runbooks.api.WriteFreeze> freezes) {
        if (timeline == null) {
            return null;
        }
        long endedAt = Workflow.currentTimeMillis();
        ReportFiles files = null;
        if (Workflow.getVersion(REPORT_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
            MigrationReport report = new MigrationReport(Workflow.getInfo().getWorkflowId(),
                    Workflow.getInfo().getFirstExecutionRunId(), runbook.name(), runbook.owner(),
                    runbook.description(), loaded.file(), loaded.sha256(), startedBy, result.outcome().name(),
                    result.reason(), RunbookTimeline.iso(startedAt), RunbookTimeline.iso(endedAt), endedAt - startedAt,
                    result.rowsCopied(), timeline.phases(), result.evidence(), result.audit(), controls, knobs,
                    timeline.rollbacks(), result.compensations(), result.rolledBackDomains(), streams,
                    freezes);
            files = write(report);
        }
        post(null, null, AutoNotifyMessages.ended(runbook.name(), result, endedAt - startedAt, files));
        if (notifier != null) {
            notifier.awaitInFlight();
        }
        return files;
    }

    private ReportFiles write(MigrationReport report) {
        ReportActivities reports = Workflow.newActivityStub(ReportActivities.class, REPORT_OPTIONS);
        ReportFiles[] written = new ReportFiles[1];
        Workflow.newDetachedCancellationScope(() -> {
            try {
                written[0] = reports.writeReport(report);
                log.info("runbook={} report written: {}", runbook.name(), written[0].markdown());
            } catch (ActivityFailure e) {
                log.warn("runbook={} report not written: {}", runbook.name(),
                        e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            }
        }).run();
        return written[0];
    }

    private void gateClosed(String decision, String why) {
        metrics.gateWaited(openGate.id(), decision, Duration.ofMillis(Workflow.currentTimeMillis() - gateOpenedAt));
        post(null, openGate.id(), AutoNotifyMessages.gateClosed(runbook.name(), openGate.id(), decision, why));
        openGate = null;
    }

    private void post(String phase, String step, String message) {
        if (notifier != null) {
            notifier.post(phase, step, message);
        }
    }
}
