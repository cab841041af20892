package org.runbooks.api;

/** The payload of the {@code pause} and {@code resume} signals: who, and why. */
public record PauseRequest(String by, String reason) {
}
