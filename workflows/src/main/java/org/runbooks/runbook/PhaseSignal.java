package org.runbooks.runbook;

import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

/**
 * Delivers one signal from the runbook to its running phase. The phase may end while the signal is on its way (an
 * operator pauses just as the last step completes): the server then answers NOT_FOUND, which must not fail the
 * runbook. Nothing is lost: the next phase gets the knobs in its request, and a phase only ends without its verdict
 * or resolution when its gate timed out and decided itself.
 */
final class PhaseSignal {

    private static final Logger log = Workflow.getLogger(PhaseSignal.class);

    /** The failure type Temporal gives a signal to a workflow that has already closed. */
    static final String PHASE_ENDED = "SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND";

    private PhaseSignal() {
    }

    /** Sends; true when the phase got it, false when it had ended first. Any other failure is thrown. */
    static boolean deliver(String runbook, String phase, String what, Runnable send) {
        try {
            send.run();
            return true;
        } catch (ApplicationFailure e) {
            if (!PHASE_ENDED.equals(e.getType())) {
                throw e;
            }
            log.info("runbook={} phase={} {} not delivered: the phase had already ended", runbook, phase, what);
            return false;
        }
    }
}
