package org.runbooks.workflow;

import org.runbooks.model.Phase;

/**
 * The input of one phase's child workflow. {@code runKey} (runbook workflow id + its first run id) prefixes every
 * idempotency key the phase's activities get, so a retried call is recognised and a new run is not. {@code knobs}
 * are the operator's settings when the phase starts (null in histories recorded before knobs existed).
 * {@code lastValidationPassed} is the verdict of the runbook's latest validation before this phase (null: none ran),
 * which a gate with the proceed-if-validated timeout policy needs.
 */
public record PhaseRequest(String runbook, String runKey, Phase phase, String startedBy, Knobs knobs,
                           Boolean lastValidationPassed) {

    public PhaseRequest(String runbook, String runKey, Phase phase, String startedBy, Knobs knobs) {
        this(runbook, runKey, phase, startedBy, knobs, null);
    }
}
