package org.runbooks.workflow;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import org.runbooks.activity.BackfillActivities;
import org.runbooks.activity.FlagActivities;
import org.runbooks.activity.LoadedRunbook;
import org.runbooks.activity.RunbookLoadActivities;
import org.runbooks.activity.SqlActivities;
import org.runbooks.activity.ValidationReport;
import org.runbooks.model.Phase;
import org.runbooks.model.Runbook;
import org.runbooks.report.ReportFiles;
import org.runbooks.saga.CompensationActivities;
import org.runbooks.saga.CompensationRecord;
import org.runbooks.saga.Saga;
import org.slf4j.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Loads and checks the runbook, runs each phase as a child workflow, relays gate verdicts to the phase that waits,
 * and rolls back (every registered compensation, last first) when a gate is rejected, a step fails, an operator asks
 * for it, or the workflow is cancelled. Between phases, once its history grows long, it continues as new with
 * everything it knows ({@link HistoryBound}, {@link RunbookCarryOver}).
 */
public class RunbookWorkflowImpl implements RunbookWorkflow {

    private static final Logger log = Workflow.getLogger(RunbookWorkflowImpl.class);
    private static final String CANCELLED = "the runbook workflow was cancelled";

    private final RunbookLoadActivities loader =
            Workflow.newActivityStub(RunbookLoadActivities.class, StepOptions.load());
    private final CompensationActivities compensations = new CompensationActivities(
            Workflow.newActivityStub(FlagActivities.class, StepOptions.compensation()),
            Workflow.newActivityStub(BackfillActivities.class, StepOptions.compensation()),
            Workflow.newActivityStub(SqlActivities.class, StepOptions.compensation()));

    private final Saga saga = new Saga();
    private final GateBook gates = new GateBook();
    private final List<GateVerdict> verdictsToSend = new ArrayList<>();
    private final List<StepResolution> resolutionsToSend = new ArrayList<>();
    private FailureView failure;
    private final List<ValidationReport> evidence = new ArrayList<>();
    private final List<CompensationRecord> compensationLog = new ArrayList<>();
    private final List<String> rolledBackDomains = new ArrayList<>();

    private Runbook runbook;
    private RunbookState state = RunbookState.LOADING;
    private boolean searchAttributes;
    private String phase;
    private String step;
    private int stepsDone;
    private long rowsCopied;
    private String reason;
    private RollbackRequest rollbackRequest;
    private Promise<PhaseResult> currentPhase;
    private Knobs knobs = Knobs.initial();
    private boolean knobsToSend;
    private BackfillProgress progress;
    /**
     * Rows the running backfill has committed, as its latest progress report says; 0 between copies. Status adds
     * them to the rows of completed steps, so its count moves while a copy runs and stays while it is paused.
     */
    private long copyingRows;
    private ThrottleView throttle;
    /** The running step's trouble; any other event of its phase, or the phase's end, clears it. */
    private StepTrouble trouble;
    private final List<ControlEntry> controls = new ArrayList<>();
    private final RunbookReporting reporting = new RunbookReporting();
    /** The phase whose child runs now; null between phases. */
    private Phase runningPhase;
    private ReportFiles reportFiles;

    /** Runs the runbook, then records how it ended in {@code RunbookOutcome}, failures and cancellation included. */
    @Override
    public RunbookResult run(RunbookRequest request) {
        RunbookResult result;
        try {
            result = runToTheEnd(request);
        } catch (TemporalFailure e) {
            RunbookSearchAttributes.upsertOutcome(e instanceof CanceledFailure ? RunbookSearchAttributes.CANCELLED
                    : RunbookSearchAttributes.FAILED);
            throw e;
        }
        RunbookSearchAttributes.upsertOutcome(CancellationScope.current().isCancelRequested()
                ? RunbookSearchAttributes.CANCELLED : RunbookSearchAttributes.stateValue(result.outcome()));
        return result;
    }

    private RunbookResult runToTheEnd(RunbookRequest request) {
        refuseUnknownFields(request);
        searchAttributes = Workflow.getVersion(RunbookSearchAttributes.CHANGE_ID, Workflow.DEFAULT_VERSION, 1) >= 1;
        HistoryBound bound = HistoryBound.of(request);
        gates.startedBy(request == null ? null : request.startedBy());
        RunbookCarryOver carried = request == null ? null : request.carryOver();
        LoadedRunbook loaded = carried == null ? load(request) : restore(carried);
        runbook = loaded.runbook();
        String runKey = carried != null ? carried.runKey()
                : Workflow.getInfo().getWorkflowId() + "/" + Workflow.getInfo().getFirstExecutionRunId();
        reporting.started(loaded, carried == null ? request.startedBy() : carried.startedBy(), runKey,
                carried == null ? null : carried.reporting());
        enter(carried == null ? activeState() : carried.state());
        int first = carried == null ? 0 : carried.nextPhase();
        try {
            for (int i = first; i < runbook.phases().size(); i++) {
                Phase p = runbook.phases().get(i);
                if (rollbackRequest != null) {
                    break;
                }
                if (i > first && bound.reached() && readyToContinue()) {
                    log.info("runbook={} history holds {} events (limit {}); continuing as new before phase {}",
                            runbook.name(), Workflow.getInfo().getHistoryLength(), bound.limit(), p.name());
                    HistoryBound.continueAsNew(request.continued(carryOver(loaded, runKey, i)));
                }
                if (rolledBackDomains.contains(p.domain())) {
                    log.info("runbook={} phase={} skipped: domain {} was rolled back", runbook.name(), p.name(),
                            p.domain());
                    continue;
                }
                Workflow.await(() -> !knobs.paused() || rollbackRequest != null);
                if (rollbackRequest != null) {
                    break;
                }
                phase = p.name();
                enter(RunbookState.RUNNING);
                reporting.phaseStarted(p);
                runningPhase = p;
                log.info("runbook={} phase={} starting", runbook.name(), phase);
                PhaseResult result = runPhase(new PhaseRequest(runbook.name(), runKey, p, request.startedBy(), knobs,
                        evidence.isEmpty() ? null : evidence.get(evidence.size() - 1).passed(),
                        request.phaseHistoryLimit(), null));
                reporting.phaseEnded(p, result, rollbackRequest != null);
                runningPhase = null;
                trouble = null;
                gates.close();
                if (rollbackRequest == null && result.outcome() != PhaseOutcome.COMPLETED) {
                    if (p.domain() == null) {
                        return rollBack(loaded, result.reason());
                    }
                    rollBackDomain(p.domain(), result.reason());
                }
            }
        } catch (CanceledFailure e) {
            // The phase child is being cancelled with us; compensating while its copy still writes would race.
            Workflow.newDetachedCancellationScope(() -> {
                Workflow.await(() -> currentPhase == null || currentPhase.isCompleted());
                if (runningPhase != null) {
                    reporting.phaseCancelled(runningPhase, CANCELLED);
                }
            }).run();
            return rollBack(loaded, CANCELLED);
        }
        if (rollbackRequest != null) {
            return rollBack(loaded, "rollback requested by " + rollbackRequest.by() + ": " + rollbackRequest.reason());
        }
        step = null;
        enter(rolledBackDomains.isEmpty() ? RunbookState.COMPLETED : RunbookState.PARTIALLY_ROLLED_BACK);
        log.info("runbook={} ended {}", runbook.name(), state);
        return result(loaded);
    }

    /**
     * Fails the runbook, before anything runs, on an input with a field it does not know. Only such an input asks
     * for the version, and before it one could not start a runbook at all, so no earlier history holds one.
     */
    private static void refuseUnknownFields(RunbookRequest request) {
        String refusal = request == null ? null : request.unknownFieldsRefusal();
        if (refusal != null && Workflow.getVersion(RunbookRequest.UNKNOWN_FIELDS_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
            throw ApplicationFailure.newNonRetryableFailure(refusal, RunbookRequest.INVALID_REQUEST);
        }
    }

    private LoadedRunbook load(RunbookRequest request) {
        if (request == null || request.file() == null || request.file().isBlank()) {
            throw ApplicationFailure.newNonRetryableFailure(
                    "the input names the runbook file: {\"file\": \"runbooks/<name>.yaml\"}", RunbookRequest.INVALID_REQUEST);
        }
        try {
            return loader.loadRunbook(request.file());
        } catch (ActivityFailure e) {
            if (e.getCause() instanceof ApplicationFailure app) {
                throw ApplicationFailure.newNonRetryableFailure(app.getOriginalMessage(), app.getType());
            }
            throw e;
        }
    }

    /**
     * Runs one phase's child in its own cancellation scope, relaying verdicts to it; a rollback request cancels the
     * child (its activities stop at their next heartbeat) and waits for it to end before compensating.
     */
    private PhaseResult runPhase(PhaseRequest request) {
        ChildWorkflowOptions.Builder options = ChildWorkflowOptions.newBuilder()
                .setWorkflowId(Workflow.getInfo().getWorkflowId() + "/" + request.phase().name());
        if (Workflow.getVersion(PhaseDescription.CHANGE_ID, Workflow.DEFAULT_VERSION, 1) >= 1) {
            options.setStaticSummary(PhaseDescription.summary(runbook, request.phase()))
                    .setStaticDetails(PhaseDescription.details(runbook, request.phase()));
        }
        PhaseWorkflow child = Workflow.newChildWorkflowStub(PhaseWorkflow.class, options.build());
        AtomicReference<Promise<PhaseResult>> running = new AtomicReference<>();
        CancellationScope scope = Workflow.newCancellationScope(() -> running.set(Async.function(child::run, request)));
        scope.run();
        Promise<PhaseResult> done = running.get();
        currentPhase = done;
        Workflow.getWorkflowExecution(child).get();
        // A phase may continue as new; its child stub signals the first run only, so signal by workflow id.
        PhaseWorkflow signals = Workflow.getVersion(PhaseWorkflowImpl.SLICES_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1
                ? Workflow.newExternalWorkflowStub(PhaseWorkflow.class, Workflow.getInfo().getWorkflowId() + "/"
                + request.phase().name()) : child;
        while (!done.isCompleted()) {
            Workflow.await(() -> done.isCompleted() || !verdictsToSend.isEmpty() || knobsToSend
                    || rollbackRequest != null || !resolutionsToSend.isEmpty());
            if (knobsToSend && !done.isCompleted()) {
                knobsToSend = false;
                Knobs sent = knobs;
                PhaseSignal.deliver(runbook.name(), phase, "knobs", () -> signals.knobs(sent));
            }
            if (rollbackRequest != null && !done.isCompleted()) {
                scope.cancel("rollback requested");
                Workflow.await(done::isCompleted);
            }
            while (!verdictsToSend.isEmpty() && !done.isCompleted()) {
                GateVerdict verdict = verdictsToSend.remove(0);
                PhaseSignal.deliver(runbook.name(), phase, "gate verdict", () -> signals.gateVerdict(verdict));
            }
            while (!resolutionsToSend.isEmpty() && !done.isCompleted()) {
                StepResolution resolution = resolutionsToSend.remove(0);
                PhaseSignal.deliver(runbook.name(), phase, "resolution", () -> signals.resolution(resolution));
            }
        }
        try {
            return done.get();
        } catch (ChildWorkflowFailure e) {
            String why = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
            log.warn("runbook={} phase={} child ended with a failure: {}", runbook.name(), phase, why);
            return new PhaseResult(PhaseOutcome.FAILED, step, "phase " + request.phase().name() + " failed: " + why);
        } catch (CanceledFailure e) {
            if (rollbackRequest == null) {
                throw e;
            }
            return new PhaseResult(PhaseOutcome.FAILED, step, "phase " + request.phase().name() + " stopped for rollback");
        }
    }

    private RunbookResult rollBack(LoadedRunbook loaded, String why) {
        reason = reason == null ? why : reason + "; then " + why;
        enterDetached(RunbookState.ROLLING_BACK);
        log.warn("runbook={} phase={} rolling back: {}", runbook.name(), phase, why);
        reporting.rollbackStarted(null, why);
        List<CompensationRecord> undone = saga.compensate(runbook.name(), compensations);
        compensationLog.addAll(undone);
        reporting.rollbackEnded(null, undone);
        enterDetached(RunbookState.ROLLED_BACK);
        return result(loaded);
    }

    /**
     * Undoes only the phases of {@code domain}, last first; the domain's later phases are skipped and the other
     * domains go on. The runbook ends {@link RunbookState#PARTIALLY_ROLLED_BACK} unless something later rolls back
     * the rest.
     */
    private void rollBackDomain(String domain, String why) {
        String line = "domain " + domain + " rolled back: " + why;
        reason = reason == null ? line : reason + "; " + line;
        enterDetached(RunbookState.ROLLING_BACK);
        log.warn("runbook={} phase={} rolling back domain {}: {}", runbook.name(), phase, domain, why);
        reporting.rollbackStarted(domain, why);
        List<CompensationRecord> undone = saga.compensate(runbook.name(), compensations, domain);
        compensationLog.addAll(undone);
        reporting.rollbackEnded(domain, undone);
        rolledBackDomains.add(domain);
        enterDetached(activeState());
    }

    private RunbookResult result(LoadedRunbook loaded) {
        RunbookResult result = new RunbookResult(runbook.name(), loaded.file(), loaded.sha256(), state, reason,
                rowsCopied, List.copyOf(evidence), gates.audit(), List.copyOf(compensationLog),
                List.copyOf(rolledBackDomains));
        reportFiles = reporting.finished(result, List.copyOf(controls), knobs);
        return result.withReport(reportFiles);
    }

    private boolean ended() {
        return state == RunbookState.COMPLETED || state == RunbookState.ROLLED_BACK
                || state == RunbookState.PARTIALLY_ROLLED_BACK;
    }

    private String domainOf(String phaseName) {
        return runbook.phases().stream().filter(p -> p.name().equals(phaseName)).map(Phase::domain)
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    private void enter(RunbookState next) {
        state = next;
        reporting.stateEntered(next);
        if (searchAttributes) {
            GateView gate = gates.view(Workflow.getInfo().getWorkflowId());
            RunbookSearchAttributes.upsert(name(), phase, state, gate == null ? "" : String.join(",", gate.approvers()));
        }
        showCurrentDetails();
    }

    /** What the Temporal UI shows on the workflow page; it issues no command, so replay is unaffected. */
    private void showCurrentDetails() {
        Workflow.setCurrentDetails(CurrentDetails.render(Workflow.getInfo().getWorkflowId(), status()));
    }

    /** A state change that must be recorded even when the workflow is being cancelled. */
    private void enterDetached(RunbookState next) {
        Workflow.newDetachedCancellationScope(() -> enter(next)).run();
    }

    @Override
    public void approve(GateDecision decision) {
        decide(decision, true);
    }

    @Override
    public void reject(GateDecision decision) {
        decide(decision, false);
    }

    @Override
    public GateAuditEntry approveGate(GateDecision decision) {
        return acceptedOrFail(decide(decision, true));
    }

    /**
     * Refuses nothing: a validator may not write history, so anything it refused would be missing from the audit
     * trail, and its failure would not carry the type {@code GateDecisionRefused}. The handler records every refusal,
     * including a decision that names no gate or no one, then fails the update with that type.
     */
    @Override
    public void validateApproveGate(GateDecision decision) {
    }

    @Override
    public GateAuditEntry rejectGate(GateDecision decision) {
        return acceptedOrFail(decide(decision, false));
    }

    /**
     * The update's answer: the accepted entry, or a failure with the refusal, which is already in the audit trail.
     * An ApplicationFailure thrown by an update handler fails that update only; the audit entry stays.
     */
    private static GateAuditEntry acceptedOrFail(GateAuditEntry entry) {
        if (!entry.accepted()) {
            throw ApplicationFailure.newNonRetryableFailure(entry.refusal(), "GateDecisionRefused");
        }
        return entry;
    }

    @Override
    public void validateRejectGate(GateDecision decision) {
        validateApproveGate(decision);
    }

    private GateAuditEntry decide(GateDecision decision, boolean approve) {
        String at = Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
        gates.decide(decision, approve, at).ifPresentOrElse(verdict -> {
            log.info("runbook={} phase={} step={} {}", name(), phase, step, verdict.reason());
            reporting.gateDecided(verdict);
            gates.close();
            verdictsToSend.add(verdict);
            enter(activeState());
        }, () -> log.info("runbook={} phase={} gate decision recorded: {}", name(), phase, decision));
        List<GateAuditEntry> audit = gates.audit();
        return audit.get(audit.size() - 1);
    }

    @Override
    public void rollback(RollbackRequest request) {
        if (rollbackRequest == null && !ended()) {
            rollbackRequest = request == null ? new RollbackRequest("unknown", "no reason given") : request;
            control("rollback", rollbackRequest.by(), rollbackRequest.reason());
            log.warn("runbook={} phase={} rollback requested by {}: {}", name(), phase, rollbackRequest.by(),
                    rollbackRequest.reason());
        }
    }

    @Override
    public void resolveFailure(StepResolution resolution) {
        String by = resolution == null ? null : resolution.by();
        String refusal = failureRefusal(resolution);
        if (refusal != null) {
            control("resolveFailure", by, "ignored: " + refusal);
            return;
        }
        control(resolution.action(), by, "step " + resolution.step() + ": " + resolution.reason());
        failure = null;
        if (resolution.action().equals("rollback")) {
            rollback(new RollbackRequest(by, "step " + resolution.step() + " failed; " + resolution.reason()));
            return;
        }
        resolutionsToSend.add(resolution);
        enter(activeState());
    }

    private String failureRefusal(StepResolution resolution) {
        if (resolution == null || resolution.by() == null || resolution.by().isBlank() || resolution.step() == null) {
            return "a resolution names the step, the action and who decides";
        }
        if (failure == null) {
            return "no failed step is waiting";
        }
        if (!failure.step().equals(resolution.step())) {
            return "step '" + resolution.step() + "' is not waiting; the failed step is '" + failure.step() + "'";
        }
        if (!StepResolution.ACTIONS.contains(resolution.action())) {
            return "action must be one of " + StepResolution.ACTIONS + ", not '" + resolution.action() + "'";
        }
        return null;
    }

    @Override
    public void pause(PauseRequest request) {
        if (knobs.paused() || ended()) {
            control("pause", request == null ? null : request.by(), "ignored: " + (knobs.paused()
                    ? "already paused" : "the runbook has ended"));
            return;
        }
        String by = request == null ? "unknown" : request.by();
        String why = request == null ? null : request.reason();
        changeKnobs(knobs.pause(by, why));
        control("pause", by, why);
        enter(RunbookState.PAUSED);
    }

    @Override
    public void resume(PauseRequest request) {
        if (!knobs.paused()) {
            control("resume", request == null ? null : request.by(), "ignored: not paused");
            return;
        }
        changeKnobs(knobs.resume());
        control("resume", request == null ? null : request.by(), request == null ? null : request.reason());
        enter(activeState());
    }

    @Override
    public Knobs tune(Tune tune) {
        changeKnobs(knobs.tune(tune.chunkRows(), tune.rowsPerSecond(), tune.parallelism()));
        control("tune", tune.by(), "chunkRows=" + knobs.chunkRows() + " rowsPerSecond=" + knobs.rowsPerSecond()
                + " parallelism=" + knobs.parallelism());
        showCurrentDetails();
        return knobs;
    }

    @Override
    public void validateTune(Tune tune) {
        if (tune == null || (tune.chunkRows() == null && tune.rowsPerSecond() == null && tune.parallelism() == null)) {
            throw new IllegalArgumentException("give chunkRows, rowsPerSecond and/or parallelism: {\"by\": ...,"
                    + " \"chunkRows\": 5000}");
        }
        if (tune.parallelism() != null && (tune.parallelism() < 1 || tune.parallelism() > Tune.MAX_PARALLELISM)) {
            throw new IllegalArgumentException("parallelism must be 1 to " + Tune.MAX_PARALLELISM + ", not "
                    + tune.parallelism());
        }
        if (tune.chunkRows() != null && (tune.chunkRows() < 1 || tune.chunkRows() > Tune.MAX_CHUNK_ROWS)) {
            throw new IllegalArgumentException("chunkRows must be 1 to " + Tune.MAX_CHUNK_ROWS + ", not " + tune.chunkRows());
        }
        if (tune.rowsPerSecond() != null && tune.rowsPerSecond() < 0) {
            throw new IllegalArgumentException("rowsPerSecond must be 0 (no limit) or more, not " + tune.rowsPerSecond());
        }
        if (ended() || state == RunbookState.ROLLING_BACK) {
            throw new IllegalArgumentException("the runbook is " + state + "; there is nothing left to tune");
        }
    }

    /** The state of a runbook that is neither loading nor finished: paused wins over a waiting gate. */
    private RunbookState activeState() {
        if (failure != null) {
            return RunbookState.STEP_FAILED;
        }
        if (knobs.paused()) {
            return RunbookState.PAUSED;
        }
        return gates.isWaiting() ? RunbookState.AWAITING_APPROVAL : RunbookState.RUNNING;
    }

    private void changeKnobs(Knobs next) {
        knobs = next;
        knobsToSend = true;
    }

    private void control(String command, String by, String detail) {
        controls.add(new ControlEntry(command, by, detail, Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString()));
        log.info("runbook={} phase={} {} by {}: {}", name(), phase, command, by, detail);
    }

    @Override
    public void phaseEvent(PhaseEvent event) {
        step = event.step();
        trouble = event.trouble();
        reporting.phaseEvent(event);
        switch (event.kind()) {
            case STEP_STARTED -> {
                if (event.compensation() != null) {
                    saga.register(event.compensation(), domainOf(event.phase()));
                }
            }
            case STEP_COMPLETED -> {
                stepsDone++;
                rowsCopied += event.rowsCopied();
                copyingRows = 0;
                if (event.evidence() != null) {
                    evidence.add(event.evidence());
                }
            }
            case EVIDENCE -> evidence.add(event.evidence());
            case PROGRESS -> {
                progress = event.progress();
                copyingRows = progress.rowsDone();
            }
            case THROTTLE -> throttle = event.throttle();
            case STEP_FAILED -> {
                failure = FailureView.of(Workflow.getInfo().getWorkflowId(), event.phase(), event.step(), event.detail());
                enter(activeState());
            }
            case GATE_TIMED_OUT -> {
                gates.timedOut(event.step(), event.proceeds(), event.detail(),
                        Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString());
                if (event.proceeds()) {
                    gates.close();
                    enter(activeState());
                }
            }
            case GATE_OPENED -> {
                gates.open(event.phase(), event.gate());
                enter(activeState());
            }
        }
        showCurrentDetails();
    }

    @Override
    public RunbookStatus status() {
        return new RunbookStatus(name(), state, phase, step, stepsDone, runbook == null ? 0 : runbook.stepCount(),
                rowsCopied + copyingRows, gates.view(Workflow.getInfo().getWorkflowId()), gates.audit(),
                List.copyOf(evidence), reason, knobs, List.copyOf(controls), failure, progress, throttle, trouble);
    }

    @Override
    public ReportFiles report() {
        return reportFiles;
    }

    private String name() {
        return runbook == null ? null : runbook.name();
    }

    /**
     * Continue-as-new waits until no signal or update handler runs; a verdict or resolution that no phase took yet
     * postpones it to the next phase boundary, as does a rollback (which ends the runbook at once).
     */
    private boolean readyToContinue() {
        Workflow.await(Workflow::isEveryHandlerFinished);
        return rollbackRequest == null && verdictsToSend.isEmpty() && resolutionsToSend.isEmpty();
    }

    private RunbookCarryOver carryOver(LoadedRunbook loaded, String runKey, int nextPhase) {
        return new RunbookCarryOver(nextPhase, loaded, runKey, state, reason, phase, step, stepsDone, rowsCopied,
                saga.pending(), gates.startedBy(), gates.audit(), evidence, controls, knobs, rolledBackDomains,
                compensationLog, failure, progress, reporting.carryOver(), throttle);
    }

    /** Takes back what the previous run carried over; returns the runbook as that run loaded it. */
    private LoadedRunbook restore(RunbookCarryOver carried) {
        reason = carried.reason();
        phase = carried.phase();
        step = carried.step();
        stepsDone = carried.stepsDone();
        rowsCopied = carried.rowsCopied();
        saga.restore(carried.compensations());
        gates.startedBy(carried.startedBy());
        gates.restore(carried.audit());
        evidence.addAll(carried.evidence());
        controls.addAll(carried.controls());
        knobs = carried.knobs();
        rolledBackDomains.addAll(carried.rolledBackDomains());
        compensationLog.addAll(carried.compensationLog());
        failure = carried.failure();
        progress = carried.progress();
        throttle = carried.throttle();
        log.info("runbook={} continued as new at phase {}: {} steps done, {} compensations pending",
                carried.loaded().runbook().name(), carried.nextPhase(), stepsDone, carried.compensations().size());
        return carried.loaded();
    }
}
