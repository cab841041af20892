package org.runbooks.api;

/**
 * One operator command (pause, resume, tune, rollback, a failed step's resolution) as the control log in
 * {@code status} keeps it; {@code key} is the fingerprint of the key that signed it, null when it was not signed.
 */
public record ControlEntry(String command, String by, String detail, String at, String key) {

    /** An unsigned command. */
    public ControlEntry(String command, String by, String detail, String at) {
        this(command, by, detail, at, null);
    }
}
