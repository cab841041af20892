package org.runbooks.phase;

import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import org.runbooks.api.ActivityTrouble;
import org.runbooks.api.Compensation;
import org.runbooks.api.CopyCarry;
import org.runbooks.api.FlagRestore;
import org.runbooks.api.GateVerdict;
import org.runbooks.api.Knobs;
import org.runbooks.api.PhaseCarry;
import org.runbooks.api.PhaseEvent;
import org.runbooks.api.PhaseOutcome;
import org.runbooks.api.PhaseRequest;
import org.runbooks.api.PhaseResult;
import org.runbooks.api.PhaseWorkflow;
import org.runbooks.api.RemoveCopiedRows;
import org.runbooks.api.RunbookWorkflow;
import org.runbooks.api.SqlRun;
import org.runbooks.api.StepResolution;
import org.runbooks.api.ValidationReport;
import org.runbooks.backfill.BackfillActivities;
import org.runbooks.backfill.BackfillRequest;
import org.runbooks.backfill.BackfillResult;
import org.runbooks.backfill.SliceScheduler;
import org.runbooks.flag.FlagActivities;
import org.runbooks.flag.FlagChange;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.FlagStep;
import org.runbooks.model.GateStep;
import org.runbooks.model.NotifyStep;
import org.runbooks.model.SqlStep;
import org.runbooks.model.Step;
import org.runbooks.model.ValidateStep;
import org.runbooks.model.WaitStep;
import org.runbooks.notify.Notification;
import org.runbooks.notify.NotifyActivities;
import org.runbooks.sql.SqlActivities;
import org.runbooks.step.StepChanges;
import org.runbooks.step.StepOptions;
import org.runbooks.step.TroubleRelay;
import org.runbooks.ui.PhaseDescription;
import org.runbooks.ui.Summaries;
import org.runbooks.validate.RepairRounds;
import org.runbooks.validate.ValidationActivities;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the steps of one phase in order. Before a step's first call it hands its compensation to the runbook (through
 * {@code phaseEvent}); at a gate it tells the runbook the gate is open and waits for the verdict.
 */
public class PhaseWorkflowImpl implements PhaseWorkflow {

    /**
     * Change id from which a timed-out gate tells its verdict as a boolean ({@code proceed}) rather than as a
     * {@code "proceed: "} prefix of the reason; runs recorded before it keep sending the prefix.
     */
    static final String TIMEOUT_VERDICT_CHANGE = "gate-timeout-verdict";

    /** Change id of a validate step that repairs the keys it finds different and validates again. */
    static final String REPAIR_CHANGE = "validate-repair";

    private static final Logger log = Workflow.getLogger(PhaseWorkflowImpl.class);

    private final BackfillActivities backfill =
            Workflow.newActivityStub(BackfillActivities.class, StepOptions.backfill());
    private final ValidationActivities validation =
            Workflow.newActivityStub(ValidationActivities.class, StepOptions.validation());
    private final NotifyActivities notifier =
            Workflow.newActivityStub(NotifyActivities.class, StepOptions.notification());

    private GateVerdict verdict;
    private StepResolution resolution;
    /** The verdict of this phase's latest validation, or null when none ran yet. */
    private Boolean lastValidation;
    private PhaseRequest request;
    private Knobs knobs = Knobs.initial();
    /** True from {@link StepChanges#SLICES} on. */
    private boolean slices;
    private int stepIndex;
    private PhaseContinuation continuation;
    private final TroubleRelay troubles = new TroubleRelay();
    private final PhaseEventPacer pacer = new PhaseEventPacer();

    @Override
    public PhaseResult run(PhaseRequest request) {
        this.request = request;
        slices = Workflow.getVersion(StepChanges.SLICES, Workflow.DEFAULT_VERSION, 1) >= 1;
        if (request.knobs() != null && request.knobs().version() > knobs.version()) {
            knobs = request.knobs();
        }
        continuation = new PhaseContinuation(request, slices);
        PhaseCarry carried = continuation.carried();
        if (carried != null) {
            knobs(carried.knobs());
            lastValidation = carried.lastValidation();
        }
        List<Step> steps = request.phase().steps();
        for (int i = carried == null ? 0 : carried.stepIndex(); i < steps.size(); i++) {
            stepIndex = i;
            Step step = steps.get(i);
            Workflow.await(() -> !knobs.paused());
            log.info("runbook={} phase={} step={} starting", request.runbook(), phaseName(), step.id());
            Workflow.setCurrentDetails(PhaseDescription.stepInProgress(request.runbook(), request.phase(), step));
            PhaseResult stop;
            try {
                stop = runStep(step);
            } catch (ActivityFailure e) {
                String reason = "step " + step.id() + " failed: " + rootMessage(e);
                log.error("runbook={} phase={} step={} {}", request.runbook(), phaseName(), step.id(), reason);
                stop = new PhaseResult(PhaseOutcome.FAILED, step.id(), reason);
            }
            if (stop != null && stop.outcome() == PhaseOutcome.FAILED
                    && request.phase().pauseOnFailure().contains(step.id())) {
                String action = awaitResolution(step, stop.reason());
                if (action.equals("retry")) {
                    i--;
                    continue;
                }
                tell(PhaseEvent.completed(phaseName(), step.id(), 0, null));
                continue;
            }
            if (stop != null) {
                log.warn("runbook={} phase={} step={} stopped the phase: {}", request.runbook(), phaseName(),
                        step.id(), stop.reason());
                return stop;
            }
        }
        return new PhaseResult(PhaseOutcome.COMPLETED, null, null);
    }

    /**
     * Tells the runbook the step failed and waits for an operator's retry or skip (a rollback cancels this phase
     * from the runbook). Returns the action.
     */
    private String awaitResolution(Step step, String reason) {
        resolution = null;
        tell(PhaseEvent.failed(phaseName(), step.id(), reason));
        log.warn("runbook={} phase={} step={} failed and waits for retry, skip or rollback: {}", request.runbook(),
                phaseName(), step.id(), reason);
        Workflow.await(() -> resolution != null);
        log.info("runbook={} phase={} step={} {} by {}: {}", request.runbook(), phaseName(), step.id(),
                resolution.action(), resolution.by(), resolution.reason());
        return resolution.action();
    }

    @Override
    public void resolution(StepResolution resolution) {
        this.resolution = resolution;
    }

    @Override
    public void gateVerdict(GateVerdict verdict) {
        this.verdict = verdict;
    }

    @Override
    public void knobs(Knobs knobs) {
        if (knobs.version() > this.knobs.version()) {
            this.knobs = knobs;
        }
    }

    @Override
    public void activityTrouble(ActivityTrouble trouble) {
        if (request == null) {
            return;
        }
        PhaseEvent event = troubles.heard(request.runbook(), phaseName(), request.phase().steps().get(stepIndex).id(),
                trouble);
        if (event != null) {
            tell(event);
        }
    }

    /** Runs one step; returns a result only when the step stops the phase. */
    private PhaseResult runStep(Step step) {
        String key = request.runKey() + "/" + step.id();
        switch (step) {
            case BackfillStep b -> {
                PhaseCarry resumed = continuation.take();
                if (resumed == null) {
                    tell(PhaseEvent.started(phaseName(), b.id(),
                            new Compensation.RemoveCopiedRows(b.id(), new RemoveCopiedRows(key, b))));
                }
                long copied = slices ? new SliceScheduler(request, key, b, () -> knobs, this::tell,
                        continuation::due, copy -> continueAsNew(copy, 0, 0))
                        .run(resumed == null ? null : resumed.copy()) : copy(key, b).rowsCopied();
                tell(PhaseEvent.completed(phaseName(), b.id(), copied, null));
            }
            case ValidateStep v -> {
                tell(PhaseEvent.started(phaseName(), v.id(), null));
                ValidationReport report = validation.compare(v);
                if (!report.passed() && v.repair() != null
                        && Workflow.getVersion(REPAIR_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
                    report = new RepairRounds(request, key, v, validation).run(report);
                }
                lastValidation = report.passed();
                tell(PhaseEvent.completed(phaseName(), v.id(), 0, report));
                if (!report.passed()) {
                    return new PhaseResult(PhaseOutcome.FAILED, v.id(), "validation " + v.id() + " failed: "
                            + report.detail() + (report.repair() == null ? "" : "; " + report.repair().detail()));
                }
            }
            case FlagStep f -> {
                FlagActivities flags = Workflow.newActivityStub(FlagActivities.class, writingStep());
                tell(PhaseEvent.started(phaseName(), f.id(), new Compensation.RestoreFlag(f.id(),
                        new FlagRestore(key, f.connection(), f.name(), request.runKey()))));
                flags.setFlag(new FlagChange(key, f.connection(), f.name(), f.percent(), request.runKey()));
                tell(PhaseEvent.completed(phaseName(), f.id(), 0, null));
            }
            case SqlStep s -> {
                SqlActivities sql = Workflow.newActivityStub(SqlActivities.class, writingStep());
                Long lockTimeout = s.lockTimeout() == null ? null : s.lockTimeout().toMillis();
                SqlRun apply = new SqlRun(key + "/apply", s.connection(), s.apply(), null, lockTimeout);
                String undoes = StepChanges.stopsBeforeUndo() ? apply.idempotencyKey() : null;
                Compensation undo = s.irreversible()
                        ? new Compensation.Irreversible(s.id())
                        : new Compensation.RevertSql(s.id(),
                                new SqlRun(key + "/revert", s.connection(), s.revert(), undoes, lockTimeout));
                tell(PhaseEvent.started(phaseName(), s.id(), undo));
                sql.runSql(apply);
                tell(PhaseEvent.completed(phaseName(), s.id(), 0, null));
            }
            case GateStep g -> {
                return awaitGate(g);
            }
            case WaitStep w -> {
                PhaseCarry resumed = continuation.take();
                if (resumed == null) {
                    tell(PhaseEvent.started(phaseName(), w.id(), null));
                }
                PhaseResult failed = soak(w, resumed);
                if (failed != null) {
                    return failed;
                }
                tell(PhaseEvent.completed(phaseName(), w.id(), 0, null));
            }
            case NotifyStep n -> {
                tell(PhaseEvent.started(phaseName(), n.id(), null));
                send(key, n);
                tell(PhaseEvent.completed(phaseName(), n.id(), 0, null));
            }
        }
        return null;
    }

    /** Options of a flag change or SQL statement; see {@link StepChanges#STOP_BEFORE_UNDO}. */
    private static ActivityOptions writingStep() {
        return StepChanges.stopsBeforeUndo() ? StepOptions.stoppedBeforeUndo(StepOptions.heartbeatingStep())
                : StepOptions.heartbeatingStep();
    }

    /**
     * Waits out the soak. With a re-validation, it runs the named validate step every {@code every} (and once at the
     * end), reports each result to the runbook, and stops the phase at the first one that fails.
     */
    private PhaseResult soak(WaitStep wait, PhaseCarry resumed) {
        if (wait.check() == null) {
            nap(wait, wait.duration());
            return null;
        }
        Duration left = resumed == null ? wait.duration() : Duration.ofMillis(resumed.soakLeftMillis());
        int round = resumed == null ? 0 : resumed.soakRound();
        while (!left.isZero()) {
            if (continuation.due()) {
                continueAsNew(null, left.toMillis(), round);
            }
            Duration nap = left.compareTo(wait.every()) < 0 ? left : wait.every();
            nap(wait, nap);
            left = left.minus(nap);
            round++;
            ValidationReport report = validation.compare(wait.check());
            lastValidation = report.passed();
            PhaseEvent evidence = PhaseEvent.evidence(phaseName(), wait.id(), report);
            troubles.telling(evidence);
            pacer.pace(evidence, PhaseEventPacer.evidenceInterval(wait.duration(), wait.every()))
                    .forEach(this::signalRunbook);
            if (!report.passed()) {
                return new PhaseResult(PhaseOutcome.FAILED, wait.id(), "re-validation " + round + " of "
                        + wait.revalidate() + " during " + wait.id() + " failed: " + report.detail());
            }
        }
        return null;
    }

    /** A soak's sleep; from {@link StepChanges#SLICES} on, a timer the UI shows with the soak's summary. */
    private void nap(WaitStep wait, Duration nap) {
        if (slices) {
            Workflow.newTimer(nap, TimerOptions.newBuilder().setSummary(Summaries.soak(wait)).build()).get();
        } else {
            Workflow.sleep(nap);
        }
    }

    /** Continues as new in the current step, carrying what it has done. */
    private void continueAsNew(CopyCarry copy, long soakLeftMillis, int soakRound) {
        pacer.flushAll().forEach(this::signalRunbook);
        continuation.continueAsNew(() -> new PhaseCarry(stepIndex, knobs, lastValidation, copy, soakLeftMillis,
                soakRound));
    }

    private void send(String key, NotifyStep step) {
        send(new Notification(key, step.webhook(), request.runbook(), phaseName(), step.id(), step.message()));
    }

    /** A webhook that stays down after the retries is logged; a notification never stops a migration. */
    private void send(Notification notification) {
        try {
            String status = notifier.notify(notification);
            log.info("runbook={} phase={} step={} notified {}: {}", request.runbook(), phaseName(),
                    notification.step(), notification.webhook(), status);
        } catch (ActivityFailure e) {
            log.warn("runbook={} phase={} step={} notification to {} not delivered: {}", request.runbook(),
                    phaseName(), notification.step(), notification.webhook(), rootMessage(e));
        }
    }

    /**
     * Runs the copy with the knobs in force. When they change (a pause, a new chunk size or rate), the running copy is
     * cancelled; it stops after the chunk it is writing, and a new call resumes from the committed checkpoint with
     * the new knobs, once the runbook is not paused.
     */
    private BackfillResult copy(String key, BackfillStep step) {
        while (true) {
            Workflow.await(() -> !knobs.paused());
            Knobs used = knobs;
            long rate = used.rowsPerSecondFor(step);
            BackfillRequest copy = new BackfillRequest(key, request.runbook(), step, used.chunkRows(), rate);
            AtomicReference<Promise<BackfillResult>> running = new AtomicReference<>();
            CancellationScope scope = Workflow.newCancellationScope(
                    () -> running.set(Async.function(backfill::copyTable, copy)));
            scope.run();
            Promise<BackfillResult> done = running.get();
            Workflow.await(() -> done.isCompleted() || knobs.version() != used.version());
            if (!done.isCompleted()) {
                log.info("runbook={} phase={} step={} knobs changed; stopping the copy at its next chunk",
                        request.runbook(), phaseName(), step.id());
                scope.cancel("knobs changed");
            }
            try {
                return done.get();
            } catch (ActivityFailure e) {
                if (!(e.getCause() instanceof CanceledFailure)) {
                    throw e;
                }
            }
        }
    }

    private PhaseResult awaitGate(GateStep gate) {
        verdict = null;
        tell(PhaseEvent.gateOpened(phaseName(), gate));
        log.info("runbook={} phase={} step={} gate waiting for {} of {}", request.runbook(), phaseName(), gate.id(),
                gate.quorum(), gate.approvers());
        if (!awaitVerdict(gate, gate.timeout())) {
            switch (gate.onTimeout()) {
                case ROLLBACK -> {
                    return new PhaseResult(PhaseOutcome.REJECTED, gate.id(),
                            "gate " + gate.id() + " timed out after " + gate.timeout() + " with no decision");
                }
                case PROCEED_IF_VALIDATED -> {
                    return proceedIfValidated(gate);
                }
                case KEEP_WAITING -> {
                    log.warn("runbook={} phase={} step={} gate overdue, still waiting", request.runbook(),
                            phaseName(), gate.id());
                    awaitVerdict(gate, null);
                }
            }
        }
        tell(PhaseEvent.completed(phaseName(), gate.id(), 0, null));
        return verdict.approved() ? null : new PhaseResult(PhaseOutcome.REJECTED, gate.id(), verdict.reason());
    }

    /** A timed-out gate goes on only when the latest validation, in this phase or before it, passed. */
    private PhaseResult proceedIfValidated(GateStep gate) {
        Boolean latest = lastValidation != null ? lastValidation : request.lastValidationPassed();
        boolean proceed = Boolean.TRUE.equals(latest);
        String reason = "gate " + gate.id() + " timed out after " + gate.timeout() + (proceed
                ? "; proceeding because the latest validation passed"
                : latest == null ? " and no validation ran before it" : " and the latest validation failed");
        tell(Workflow.getVersion(TIMEOUT_VERDICT_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1
                ? PhaseEvent.gateTimedOut(phaseName(), gate, proceed, reason)
                : PhaseEvent.gateTimedOutAsBefore(phaseName(), gate, proceed, reason));
        log.warn("runbook={} phase={} step={} {}", request.runbook(), phaseName(), gate.id(), reason);
        if (!proceed) {
            return new PhaseResult(PhaseOutcome.REJECTED, gate.id(), reason);
        }
        tell(PhaseEvent.completed(phaseName(), gate.id(), 0, null));
        return null;
    }

    /**
     * Waits for the verdict, at most {@code limit} (null: for ever); true when it came. A gate with reminders posts
     * one at each interval while it waits.
     */
    private boolean awaitVerdict(GateStep gate, Duration limit) {
        if (gate.remind() == null) {
            return limit == null ? awaitVerdict() : Workflow.await(limit, () -> verdict != null);
        }
        long start = Workflow.currentTimeMillis();
        for (int reminder = 1; ; reminder++) {
            Duration nap = gate.remind().every();
            if (limit != null) {
                Duration left = limit.minusMillis(Workflow.currentTimeMillis() - start);
                if (left.isNegative() || left.isZero()) {
                    return false;
                }
                nap = left.compareTo(nap) < 0 ? left : nap;
            }
            if (Workflow.await(nap, () -> verdict != null)) {
                return true;
            }
            if (limit == null || Workflow.currentTimeMillis() - start < limit.toMillis()) {
                send(new Notification(request.runKey() + "/" + gate.id() + "/remind-" + reminder,
                        gate.remind().webhook(), request.runbook(), phaseName(), gate.id(), reminderText(gate)));
            }
        }
    }

    private String reminderText(GateStep gate) {
        String runbookId = Workflow.getInfo().getParentWorkflowId().orElse(Workflow.getInfo().getWorkflowId());
        return "gate " + gate.id() + " of " + request.runbook() + " is waiting for " + gate.quorum() + " of "
                + gate.approvers() + "; approve with: temporal workflow signal --workflow-id " + runbookId
                + " --name approve --input '{\"gate\":\"" + gate.id() + "\",\"by\":\"<you>\"}'";
    }

    private boolean awaitVerdict() {
        Workflow.await(() -> verdict != null);
        return true;
    }

    /** Tells the runbook, paced so that a long phase cannot fill the runbook's history ({@link PhaseEventPacer}). */
    private void tell(PhaseEvent event) {
        troubles.telling(event);
        pacer.pace(event).forEach(this::signalRunbook);
    }

    private void signalRunbook(PhaseEvent event) {
        String parent = Workflow.getInfo().getParentWorkflowId().orElse(null);
        if (parent != null) {
            Workflow.newExternalWorkflowStub(RunbookWorkflow.class, parent).phaseEvent(event);
        }
    }

    private String phaseName() {
        return request.phase().name();
    }

    private static String rootMessage(ActivityFailure failure) {
        Throwable cause = failure.getCause();
        if (cause instanceof ApplicationFailure app) {
            return app.getOriginalMessage() + " (" + app.getType() + ")";
        }
        return cause == null ? failure.getMessage() : cause.getMessage();
    }
}
