package org.runbooks.step;

import io.temporal.workflow.Workflow;
import org.runbooks.api.ActivityTrouble;
import org.runbooks.api.PhaseEvent;
import org.runbooks.api.StepTrouble;
import org.slf4j.Logger;

/**
 * A phase's side of step trouble: turns what its activities report ({@link ActivityTrouble}) into an event for the
 * runbook, only when it shows something new (parallel slices failing alike are told once per attempt), and starts a
 * new spell as soon as the phase tells the runbook anything else, which means the step moved on.
 */
public final class TroubleRelay {

    /** Change id of a phase that forwards its activities' trouble to the runbook. */
    static final String CHANGE_ID = "step-trouble";

    private static final Logger log = Workflow.getLogger(TroubleRelay.class);

    /** The trouble of the current spell last told to the runbook; null when the step has not been in trouble since. */
    private StepTrouble told;

    /** The event telling the runbook about {@code trouble} in {@code step}; null when it would show nothing new. */
    public PhaseEvent heard(String runbook, String phase, String step, ActivityTrouble trouble) {
        if (Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) < 1) {
            return null;
        }
        StepTrouble next = StepTrouble.of(phase, step, trouble, told);
        if (!next.differsFrom(told)) {
            return null;
        }
        told = next;
        log.warn("runbook={} phase={} step={} {} attempt {} failed and will be retried: {}", runbook, phase, step,
                trouble.activityType(), trouble.attempt(), trouble.error());
        return PhaseEvent.trouble(next);
    }

    /** Called with every event the phase tells its runbook: any but trouble ends the spell. */
    public void telling(PhaseEvent event) {
        if (!(event instanceof PhaseEvent.Trouble)) {
            told = null;
        }
    }
}
