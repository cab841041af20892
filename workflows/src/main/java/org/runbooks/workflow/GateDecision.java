package org.runbooks.workflow;

/** The payload of the {@code approve} and {@code reject} signals: which gate, who decides, and why. */
public record GateDecision(String gate, String by, String comment) {
}
