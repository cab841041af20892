package org.runbooks.api;

/** The result of one phase: its outcome, and for anything but completion, the step and the reason. */
public record PhaseResult(PhaseOutcome outcome, String step, String reason) {
}
