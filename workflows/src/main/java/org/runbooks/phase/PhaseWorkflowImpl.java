package org.runbooks.phase;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import org.runbooks.api.ActivityTrouble;
import org.runbooks.api.GateVerdict;
import org.runbooks.api.Knobs;
import org.runbooks.api.PhaseCarry;
import org.runbooks.api.PhaseEvent;
import org.runbooks.api.PhaseOutcome;
import org.runbooks.api.PhaseRequest;
import org.runbooks.api.PhaseResult;
import org.runbooks.api.PhaseWorkflow;
import org.runbooks.api.SliceProgress;
import org.runbooks.api.StepResolution;
import org.runbooks.model.Step;
import org.runbooks.model.StepKind;
import org.runbooks.parse.StepKinds;
import org.runbooks.step.StepContext;
import org.runbooks.step.StepRunner;
import org.runbooks.ui.PhaseDescription;
import org.slf4j.Logger;

import java.util.List;
import java.util.Map;

/**
 * Runs the steps of one phase in order, each through the runner of its kind's package ({@link StepRunner}, listed
 * in {@link StepKinds}); what the runners share (the knobs, telling the runbook, continue-as-new, the gate verdict)
 * is the phase's {@link StepContext}. A step that fails and is listed under {@code onFailure: pause} waits for an operator's retry
 * or skip.
 */
public class PhaseWorkflowImpl implements PhaseWorkflow {

    private static final Logger log = Workflow.getLogger(PhaseWorkflowImpl.class);

    private final Map<StepKind, StepRunner<Step>> runners = StepKinds.newRunners();
    private final PhaseContext context = new PhaseContext();
    private StepResolution resolution;

    @Override
    public PhaseResult run(PhaseRequest request) {
        PhaseCarry carried = context.start(request);
        List<Step> steps = request.phase().steps();
        for (int i = carried == null ? 0 : carried.stepIndex(); i < steps.size(); i++) {
            context.stepIndex = i;
            Step step = steps.get(i);
            Workflow.await(() -> !context.knobs().paused());
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

    /** Runs one step through its kind's runner; returns a result only when the step stops the phase. */
    private PhaseResult runStep(Step step) {
        return runners.get(step.kind()).run(step, context);
    }

    /**
     * Tells the runbook the step failed and waits for an operator's retry or skip (a rollback cancels this phase
     * from the runbook). Returns the action.
     */
    private String awaitResolution(Step step, String reason) {
        resolution = null;
        tell(PhaseEvent.failed(phaseName(), step.id(), reason));
        log.warn("runbook={} phase={} step={} failed and waits for retry, skip or rollback: {}",
                context.request().runbook(), phaseName(), step.id(), reason);
        Workflow.await(() -> resolution != null);
        log.info("runbook={} phase={} step={} {} by {}: {}", context.request().runbook(), phaseName(), step.id(),
                resolution.action(), resolution.by(), resolution.reason());
        return resolution.action();
    }

    @Override
    public void resolution(StepResolution resolution) {
        this.resolution = resolution;
    }

    @Override
    public void gateVerdict(GateVerdict verdict) {
        context.verdict = verdict;
    }

    @Override
    public void knobs(Knobs knobs) {
        context.knobs(knobs);
    }

    @Override
    public void activityTrouble(ActivityTrouble trouble) {
        context.trouble(trouble);
    }

    @Override
    public void sliceProgress(SliceProgress progress) {
        context.sliceProgress(progress);
    }

    private void tell(PhaseEvent event) {
        context.tell(event);
    }

    private String phaseName() {
        return context.phaseName();
    }

    static String rootMessage(ActivityFailure failure) {
        Throwable cause = failure.getCause();
        if (cause instanceof ApplicationFailure app) {
            return app.getOriginalMessage() + " (" + app.getType() + ")";
        }
        return cause == null ? failure.getMessage() : cause.getMessage();
    }
}
