package org.runbooks.api;

/** The payload of the {@code rollback} signal: who asks, and why. */
public record RollbackRequest(String by, String reason, String signature) {

    /** An unsigned request. */
    public RollbackRequest(String by, String reason) {
        this(by, reason, null);
    }
}
