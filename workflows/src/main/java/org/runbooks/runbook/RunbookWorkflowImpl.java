package org.runbooks.runbook;

import io.temporal.failure.TemporalFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import org.runbooks.api.LoadedRunbook;
import org.runbooks.api.PhaseEvent;
import org.runbooks.api.PhaseOutcome;
import org.runbooks.api.PhaseRequest;
import org.runbooks.api.PhaseResult;
import org.runbooks.api.ReportFiles;
import org.runbooks.api.RollbackRequest;
import org.runbooks.api.RunbookCarryOver;
import org.runbooks.api.RunbookRequest;
import org.runbooks.api.RunbookResult;
import org.runbooks.api.RunbookState;
import org.runbooks.api.RunbookStatus;
import org.runbooks.load.RunbookLoadActivities;
import org.runbooks.model.Phase;
import org.runbooks.model.Runbook;
import org.runbooks.report.RunbookReporting;
import org.runbooks.step.StepOptions;
import org.slf4j.Logger;

import java.util.List;

/**
 * Loads and checks the runbook, runs each phase as a child workflow, relays gate verdicts to the phase that waits,
 * and rolls back (every registered compensation, last first) when a gate is rejected, a step fails, an operator asks
 * for it, or the workflow is cancelled. Between phases, once its history grows long, it continues as new with
 * everything it knows ({@link HistoryBound}, {@link RunbookCarryOver}). Operators' signals and updates are
 * {@link OperatorHandlers}'; the state's search attributes and Current Details are {@link StatePublisher}'s.
 */
public class RunbookWorkflowImpl extends OperatorHandlers {

    private static final Logger log = Workflow.getLogger(RunbookWorkflowImpl.class);
    private static final String CANCELLED = "the runbook workflow was cancelled";

    private final RunbookLoadActivities loader =
            Workflow.newActivityStub(RunbookLoadActivities.class, StepOptions.load());

    private final Ledger ledger = new Ledger();
    private final RunbookReporting reporting = new RunbookReporting();
    private final PhaseChild child = new PhaseChild(() -> this.operators.rollbackRequest != null);
    private final StatePublisher published = new StatePublisher(ledger, reporting, () -> this.runbook);
    private final Operators operators = new Operators(ledger, child, reporting, published);
    private final Rollback rollback = new Rollback(ledger, reporting, published);
    private final StreamRelay streams = new StreamRelay(ledger);
    private Runbook runbook;
    /** The phase whose child runs now; null between phases. */
    private Phase runningPhase;
    private ReportFiles reportFiles;
    /** The runbook a continued run took back from its carry-over before any handler ran; null in the first run. */
    private final LoadedRunbook restored;

    /**
     * Takes back a continued run's carry-over before any signal or update handler runs: the SDK runs the handlers of
     * the first workflow task before the workflow method, and a pause or tune they book must land after the carried
     * controls, not be overwritten by the carried knobs.
     */
    @WorkflowInit
    public RunbookWorkflowImpl(RunbookRequest request) {
        RunbookCarryOver carried = request == null ? null : request.carryOver();
        restored = carried == null ? null : restore(carried);
        if (restored != null) {
            runbook = restored.runbook();
            ledger.loaded(restored);
        }
    }

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
        Loading.refuseUnknownFields(request);
        published.searchAttributes = Workflow.getVersion(RunbookSearchAttributes.CHANGE_ID, Workflow.DEFAULT_VERSION, 1) >= 1;
        HistoryBound bound = HistoryBound.of(request);
        RunbookCarryOver carried = request == null ? null : request.carryOver();
        LoadedRunbook loaded = restored;
        if (carried == null) {
            ledger.gates.startedBy(request == null ? null : request.startedBy());
            loaded = Loading.load(loader, request);
            runbook = loaded.runbook();
            ledger.loaded(loaded);
            ledger.gates.startedByKey(SignedStart.check(Workflow.getInfo().getWorkflowId(), request, loaded));
        }
        String runKey = carried != null ? carried.runKey()
                : Workflow.getInfo().getWorkflowId() + "/" + Workflow.getInfo().getFirstExecutionRunId();
        reporting.started(loaded, carried == null ? request.startedBy() : carried.startedBy(), runKey,
                carried == null ? null : carried.reporting());
        enter(carried == null ? ledger.activeState() : carried.state());
        int first = carried == null ? 0 : carried.nextPhase();
        try {
            for (int i = first; i < runbook.phases().size(); i++) {
                Phase p = runbook.phases().get(i);
                if (operators.rollbackRequest != null) {
                    break;
                }
                if (i > first && bound.reached() && readyToContinue()) {
                    log.info("runbook={} history holds {} events (limit {}); continuing as new before phase {}",
                            runbook.name(), Workflow.getInfo().getHistoryLength(), bound.limit(), p.name());
                    HistoryBound.continueAsNew(request.continued(
                            ledger.carryOver(i, loaded, runKey, reporting.carryOver())));
                }
                if (ledger.rolledBackDomains.contains(p.domain())) {
                    log.info("runbook={} phase={} skipped: domain {} was rolled back", runbook.name(), p.name(),
                            p.domain());
                    continue;
                }
                Workflow.await(() -> !ledger.knobs.paused() || operators.rollbackRequest != null);
                if (operators.rollbackRequest != null) {
                    break;
                }
                ledger.phase = p.name();
                enter(RunbookState.RUNNING);
                reporting.phaseStarted(p);
                runningPhase = p;
                log.info("runbook={} phase={} starting", runbook.name(), ledger.phase);
                PhaseResult result = child.run(runbook, new PhaseRequest(runbook.name(), runKey, p,
                        request.startedBy(), ledger.knobs, ledger.lastValidationPassed(), request.phaseHistoryLimit(),
                        null), ledger);
                reporting.phaseEnded(p, result, operators.rollbackRequest != null);
                runningPhase = null;
                ledger.trouble = null;
                ledger.gates.close();
                if (operators.rollbackRequest == null && result.outcome() != PhaseOutcome.COMPLETED) {
                    if (p.domain() == null) {
                        return rollBack(loaded, result.reason());
                    }
                    rollback.domain(p.domain(), result.reason());
                }
            }
        } catch (CanceledFailure e) {
            // The phase child is being cancelled with us; compensating while its copy still writes would race.
            Workflow.newDetachedCancellationScope(() -> {
                child.awaitEnd();
                if (runningPhase != null) {
                    reporting.phaseCancelled(runningPhase, CANCELLED);
                }
            }).run();
            return rollBack(loaded, CANCELLED);
        }
        if (operators.rollbackRequest != null) {
            RollbackRequest asked = operators.rollbackRequest;
            return rollBack(loaded, "rollback requested by " + asked.by() + ": " + asked.reason());
        }
        ledger.step = null;
        rollback.endStreams("the runbook completed");
        enter(ledger.rolledBackDomains.isEmpty() ? RunbookState.COMPLETED : RunbookState.PARTIALLY_ROLLED_BACK);
        log.info("runbook={} ended {}", runbook.name(), ledger.state);
        return result(loaded);
    }

    private RunbookResult rollBack(LoadedRunbook loaded, String why) {
        rollback.everything(why);
        return result(loaded);
    }

    private RunbookResult result(LoadedRunbook loaded) {
        RunbookResult result = ledger.result(runbook.name(), loaded);
        reportFiles = reporting.finished(result, List.copyOf(ledger.controls), ledger.knobs,
                List.copyOf(ledger.streams.values()), ledger.freezes());
        return result.withReport(reportFiles);
    }

    private String domainOf(String phaseName) {
        return runbook.phases().stream().filter(p -> p.name().equals(phaseName)).map(Phase::domain)
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    @Override
    Operators operators() {
        return operators;
    }

    private void enter(RunbookState next) {
        published.enter(next);
    }

    @Override
    public void phaseEvent(PhaseEvent event) {
        reporting.phaseEvent(event);
        String workflowId = Workflow.getInfo().getWorkflowId();
        boolean changed = ledger.record(event, domainOf(event.phase()), workflowId, Operators.now());
        if (streams.failed(event, workflowId) || changed) {
            enter(ledger.activeState());
        }
        if (event instanceof PhaseEvent.StepCompleted completed) {
            streams.stepCompleted(runbook, completed.step());
        }
        published.showCurrentDetails();
    }

    @Override
    public RunbookStatus status() {
        return published.status();
    }

    @Override
    public ReportFiles report() {
        return reportFiles;
    }

    /**
     * Continue-as-new waits until no signal or update handler runs; a verdict or resolution that no phase took yet
     * postpones it to the next phase boundary, as does a rollback (which ends the runbook at once).
     */
    private boolean readyToContinue() {
        Workflow.await(Workflow::isEveryHandlerFinished);
        return operators.rollbackRequest == null && child.nothingToSend();
    }

    /** Takes back what the previous run carried over; returns the runbook as that run loaded it. */
    private LoadedRunbook restore(RunbookCarryOver carried) {
        ledger.restore(carried);
        log.info("runbook={} continued as new at phase {}: {} steps done, {} compensations pending",
                carried.loaded().runbook().name(), carried.nextPhase(), ledger.stepsDone,
                carried.compensations().size());
        return carried.loaded();
    }
}
