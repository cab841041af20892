package org.runbooks.api;

/** The runbook's word to a phase on a gate: approved or not, and why, in words for the result. */
public record GateVerdict(String gate, boolean approved, String reason) {
}
