package org.runbooks.api;

/** The payload of the {@code rollback} signal: who asks, and why. */
public record RollbackRequest(String by, String reason) {
}
