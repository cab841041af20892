package org.runbooks.phase;

import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import org.runbooks.api.PhaseCarry;
import org.runbooks.api.PhaseRequest;
import org.slf4j.Logger;

/**
 * Keeps a phase's history bounded: says when a run has grown long enough (past the request's history limit, or when
 * the server suggests it) to continue as new at its next safe point, and does so with a {@link PhaseCarry}. The
 * parent waits on the child's workflow id, so a new run is invisible to it, and its signals reach the new run
 * because they are sent by workflow id, not by run.
 */
final class PhaseContinuation {

    private static final Logger log = Workflow.getLogger(PhaseContinuation.class);

    private final PhaseRequest request;
    private final boolean enabled;
    private PhaseCarry carried;

    /** {@code enabled} false (runs recorded before continue-as-new existed) never continues. */
    PhaseContinuation(PhaseRequest request, boolean enabled) {
        this.request = request;
        this.enabled = enabled;
        this.carried = request.carry();
    }

    /** What the previous run handed over; null for the first run. */
    PhaseCarry carried() {
        return carried;
    }

    /** The hand-over, for the step it stopped in, once; null for every other step. */
    PhaseCarry take() {
        PhaseCarry taken = carried;
        carried = null;
        return taken;
    }

    /** True when this run's history is long enough to continue as new at the next safe point. */
    boolean due() {
        WorkflowInfo info = Workflow.getInfo();
        return enabled && (info.getHistoryLength() > request.effectiveHistoryLimit() || info.isContinueAsNewSuggested());
    }

    /**
     * Ends this run and starts the next with {@code next}, built once every signal that arrived meanwhile has been
     * handled, so what it carries (the knobs above all) is the latest. Does not return.
     */
    void continueAsNew(java.util.function.Supplier<PhaseCarry> next) {
        Workflow.await(Workflow::isEveryHandlerFinished);
        PhaseCarry carry = next.get();
        log.info("runbook={} phase={} step={} continuing as new after {} history events", request.runbook(),
                request.phase().name(), request.phase().steps().get(carry.stepIndex()).id(),
                Workflow.getInfo().getHistoryLength());
        Workflow.continueAsNew(request.continuedWith(carry));
    }
}
