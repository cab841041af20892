package org.runbooks.workflow;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
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
import org.runbooks.saga.CompensationActivities;
import org.runbooks.saga.CompensationRecord;
import org.runbooks.saga.Saga;
import org.slf4j.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads and checks the runbook, runs each phase as a child workflow, relays gate verdicts to the phase that waits,
 * and rolls back (every registered compensation, last first) when a gate is rejected or a step fails.
 */
public class RunbookWorkflowImpl implements RunbookWorkflow {

    private static final Logger log = Workflow.getLogger(RunbookWorkflowImpl.class);

    private final RunbookLoadActivities loader =
            Workflow.newActivityStub(RunbookLoadActivities.class, StepOptions.load());
    private final CompensationActivities compensations = new CompensationActivities(
            Workflow.newActivityStub(FlagActivities.class, StepOptions.compensation()),
            Workflow.newActivityStub(BackfillActivities.class, StepOptions.compensation()),
            Workflow.newActivityStub(SqlActivities.class, StepOptions.compensation()));

    private final Saga saga = new Saga();
    private final GateBook gates = new GateBook();
    private final List<GateVerdict> verdictsToSend = new ArrayList<>();
    private final List<ValidationReport> evidence = new ArrayList<>();

    private Runbook runbook;
    private RunbookState state = RunbookState.LOADING;
    private String phase;
    private String step;
    private int stepsDone;
    private long rowsCopied;
    private String reason;

    @Override
    public RunbookResult run(RunbookRequest request) {
        LoadedRunbook loaded = load(request);
        runbook = loaded.runbook();
        String runKey = Workflow.getInfo().getWorkflowId() + "/" + Workflow.getInfo().getFirstExecutionRunId();
        state = RunbookState.RUNNING;
        for (Phase p : runbook.phases()) {
            phase = p.name();
            log.info("runbook={} phase={} starting", runbook.name(), phase);
            PhaseResult result = runPhase(new PhaseRequest(runbook.name(), runKey, p, request.startedBy()));
            gates.close();
            if (result.outcome() != PhaseOutcome.COMPLETED) {
                return rollBack(loaded, result.reason());
            }
            state = RunbookState.RUNNING;
        }
        state = RunbookState.COMPLETED;
        step = null;
        log.info("runbook={} completed", runbook.name());
        return result(loaded, List.of());
    }

    private LoadedRunbook load(RunbookRequest request) {
        if (request == null || request.file() == null || request.file().isBlank()) {
            throw ApplicationFailure.newNonRetryableFailure(
                    "the input names the runbook file: {\"file\": \"runbooks/<name>.yaml\"}", "InvalidRequest");
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

    private PhaseResult runPhase(PhaseRequest request) {
        PhaseWorkflow child = Workflow.newChildWorkflowStub(PhaseWorkflow.class, ChildWorkflowOptions.newBuilder()
                .setWorkflowId(Workflow.getInfo().getWorkflowId() + "/" + request.phase().name())
                .build());
        Promise<PhaseResult> done = Async.function(child::run, request);
        Workflow.getWorkflowExecution(child).get();
        while (!done.isCompleted()) {
            Workflow.await(() -> done.isCompleted() || !verdictsToSend.isEmpty());
            while (!verdictsToSend.isEmpty() && !done.isCompleted()) {
                child.gateVerdict(verdictsToSend.remove(0));
            }
        }
        try {
            return done.get();
        } catch (ChildWorkflowFailure e) {
            String why = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
            return new PhaseResult(PhaseOutcome.FAILED, step, "phase " + request.phase().name() + " failed: " + why);
        }
    }

    private RunbookResult rollBack(LoadedRunbook loaded, String why) {
        reason = why;
        state = RunbookState.ROLLING_BACK;
        log.warn("runbook={} phase={} rolling back: {}", runbook.name(), phase, why);
        List<CompensationRecord> log = saga.compensate(runbook.name(), compensations);
        state = RunbookState.ROLLED_BACK;
        return result(loaded, log);
    }

    private RunbookResult result(LoadedRunbook loaded, List<CompensationRecord> compensationLog) {
        return new RunbookResult(runbook.name(), loaded.file(), loaded.sha256(), state, reason, rowsCopied,
                List.copyOf(evidence), gates.audit(), compensationLog);
    }

    @Override
    public void approve(GateDecision decision) {
        decide(decision, true);
    }

    @Override
    public void reject(GateDecision decision) {
        decide(decision, false);
    }

    private void decide(GateDecision decision, boolean approve) {
        String at = Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
        gates.decide(decision, approve, at).ifPresentOrElse(verdict -> {
            log.info("runbook={} phase={} step={} {}", name(), phase, step, verdict.reason());
            gates.close();
            state = RunbookState.RUNNING;
            verdictsToSend.add(verdict);
        }, () -> log.info("runbook={} phase={} gate decision recorded: {}", name(), phase, decision));
    }

    @Override
    public void phaseEvent(PhaseEvent event) {
        step = event.step();
        switch (event.kind()) {
            case STEP_STARTED -> {
                if (event.compensation() != null) {
                    saga.register(event.compensation());
                }
            }
            case STEP_COMPLETED -> {
                stepsDone++;
                rowsCopied += event.rowsCopied();
                if (event.evidence() != null) {
                    evidence.add(event.evidence());
                }
            }
            case GATE_OPENED -> {
                gates.open(event.phase(), event.gate());
                state = RunbookState.AWAITING_APPROVAL;
            }
        }
    }

    @Override
    public RunbookStatus status() {
        return new RunbookStatus(name(), state, phase, step, stepsDone, runbook == null ? 0 : runbook.stepCount(),
                rowsCopied, gates.view(Workflow.getInfo().getWorkflowId()), gates.audit(), List.copyOf(evidence),
                reason);
    }

    private String name() {
        return runbook == null ? null : runbook.name();
    }
}
