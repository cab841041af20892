package org.runbooks.api;

/**
 * One attempt to decide a gate, accepted or refused: who, when (ISO-8601, workflow time), what, the comment, and
 * the reason when it was refused. A signed decision that was accepted also keeps the fingerprint of the key that
 * signed ({@code key}), the statement it signed and the signature, so that anyone can check it again offline with
 * {@code ssh-keygen -Y verify}; all three are null for a self-declared decision.
 */
public record GateAuditEntry(String gate, String by, String decision, String comment, boolean accepted,
                             String refusal, String at, String key, String statement, String signature) {

    /** A self-declared decision, or a refused one. */
    public GateAuditEntry(String gate, String by, String decision, String comment, boolean accepted, String refusal,
                          String at) {
        this(gate, by, decision, comment, accepted, refusal, at, null, null, null);
    }
}
