package org.runbooks.workflow;

import org.runbooks.model.Phase;

/**
 * The input of one phase's child workflow. {@code runKey} (runbook workflow id + its first run id) prefixes every
 * idempotency key the phase's activities get, so a retried call is recognised and a new run is not.
 */
public record PhaseRequest(String runbook, String runKey, Phase phase, String startedBy) {
}
