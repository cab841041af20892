package org.runbooks.parse;

/** One problem in a runbook file: where it is (the field path, e.g. {@code phases[2].steps[0].gate.quorum}) and why. */
public record RunbookError(String file, String path, String message) {

    @Override
    public String toString() {
        return (file == null ? "" : file + ": ") + path + ": " + message;
    }
}
