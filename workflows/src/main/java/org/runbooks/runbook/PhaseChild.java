package org.runbooks.runbook;

import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import org.runbooks.api.GateVerdict;
import org.runbooks.api.Knobs;
import org.runbooks.api.PhaseOutcome;
import org.runbooks.api.PhaseRequest;
import org.runbooks.api.PhaseResult;
import org.runbooks.api.PhaseWorkflow;
import org.runbooks.api.StepResolution;
import org.runbooks.model.Runbook;
import org.runbooks.step.StepChanges;
import org.runbooks.ui.PhaseDescription;
import org.slf4j.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The running phase's child workflow, as the runbook sees it: starts it, and relays to it what operators decide
 * while it runs (gate verdicts, resolutions of a failed step, new knobs), in order, and cancels it for a rollback.
 */
final class PhaseChild {

    private static final Logger log = Workflow.getLogger(PhaseChild.class);

    private final List<GateVerdict> verdictsToSend = new ArrayList<>();
    private final List<StepResolution> resolutionsToSend = new ArrayList<>();
    private final BooleanSupplier rollbackRequested;
    private boolean knobsToSend;
    private Promise<PhaseResult> currentPhase;

    PhaseChild(BooleanSupplier rollbackRequested) {
        this.rollbackRequested = rollbackRequested;
    }

    void send(GateVerdict verdict) {
        verdictsToSend.add(verdict);
    }

    void send(StepResolution resolution) {
        resolutionsToSend.add(resolution);
    }

    /** The knobs changed: the running phase gets them (the next phase gets them in its request). */
    void knobsChanged() {
        knobsToSend = true;
    }

    /** True when no verdict or resolution waits to be sent: nothing would be lost by continuing as new. */
    boolean nothingToSend() {
        return verdictsToSend.isEmpty() && resolutionsToSend.isEmpty();
    }

    /** Waits until the phase that was running, if any, has ended (its copy must not write while we compensate). */
    void awaitEnd() {
        Workflow.await(() -> currentPhase == null || currentPhase.isCompleted());
    }

    /**
     * Runs one phase's child in its own cancellation scope, relaying verdicts to it; a rollback request cancels the
     * child (its activities stop at their next heartbeat) and waits for it to end before compensating.
     */
    PhaseResult run(Runbook runbook, PhaseRequest request, Ledger ledger) {
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
        PhaseWorkflow signals = Workflow.getVersion(StepChanges.SLICES, Workflow.DEFAULT_VERSION, 1) >= 1
                ? Workflow.newExternalWorkflowStub(PhaseWorkflow.class, Workflow.getInfo().getWorkflowId() + "/"
                + request.phase().name()) : child;
        while (!done.isCompleted()) {
            Workflow.await(() -> done.isCompleted() || !verdictsToSend.isEmpty() || knobsToSend
                    || rollbackRequested.getAsBoolean() || !resolutionsToSend.isEmpty());
            if (knobsToSend && !done.isCompleted()) {
                knobsToSend = false;
                Knobs sent = ledger.knobs;
                PhaseSignal.deliver(runbook.name(), ledger.phase, "knobs", () -> signals.knobs(sent));
            }
            if (rollbackRequested.getAsBoolean() && !done.isCompleted()) {
                scope.cancel("rollback requested");
                Workflow.await(done::isCompleted);
            }
            while (!verdictsToSend.isEmpty() && !done.isCompleted()) {
                GateVerdict verdict = verdictsToSend.remove(0);
                PhaseSignal.deliver(runbook.name(), ledger.phase, "gate verdict", () -> signals.gateVerdict(verdict));
            }
            while (!resolutionsToSend.isEmpty() && !done.isCompleted()) {
                StepResolution resolution = resolutionsToSend.remove(0);
                PhaseSignal.deliver(runbook.name(), ledger.phase, "resolution", () -> signals.resolution(resolution));
            }
        }
        try {
            return done.get();
        } catch (ChildWorkflowFailure e) {
            String why = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
            log.warn("runbook={} phase={} child ended with a failure: {}", runbook.name(), ledger.phase, why);
            return new PhaseResult(PhaseOutcome.FAILED, ledger.step, "phase " + request.phase().name()
                    + " failed: " + why);
        } catch (CanceledFailure e) {
            if (!rollbackRequested.getAsBoolean()) {
                throw e;
            }
            return new PhaseResult(PhaseOutcome.FAILED, ledger.step, "phase " + request.phase().name()
                    + " stopped for rollback");
        }
    }
}
