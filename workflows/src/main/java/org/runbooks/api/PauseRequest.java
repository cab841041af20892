package org.runbooks.api;

/** The payload of the {@code pause} and {@code resume} signals: who, and why. */
public record PauseRequest(String by, String reason, String signature) {

    /** An unsigned request. */
    public PauseRequest(String by, String reason) {
        this(by, reason, null);
    }
}
