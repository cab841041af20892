package org.runbooks.api;

/**
 * One attempt to decide a gate, accepted or refused: who, when (ISO-8601, workflow time), what, the comment, and
 * the reason when it was refused.
 */
public record GateAuditEntry(String gate, String by, String decision, String comment, boolean accepted,
                             String refusal, String at) {
}
