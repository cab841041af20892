package org.runbooks.parse;

/**
 * One problem in a runbook file: where it is (line and column, 1-based, or 0 when unknown, and the field path, e.g.
 * {@code phases[2].steps[0].gate.quorum}) and why.
 */
public record RunbookError(String file, int line, int column, String path, String message) {

    public RunbookError(String file, String path, String message) {
        this(file, 0, 0, path, message);
    }

    /** The same error without its position, for comparing messages. */
    public RunbookError withoutPosition() {
        return new RunbookError(file, path, message);
    }

    @Override
    public String toString() {
        String where = file == null ? "" : file + (line > 0 ? ":" + line + ":" + column : "") + ": ";
        return where + path + ": " + message;
    }
}
