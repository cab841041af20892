package org.runbooks.parse;

/**
 * Where each field of a runbook file starts, for the problems found after it parsed: pre-flight names a field by
 * its path ({@code phases[0].steps[1].backfill.to}), and is placed here at the line and column the parser would
 * give it, so every problem with a runbook reads {@code file:line:col: path: message}.
 */
public final class RunbookPositions {

    private final String file;
    private final SourceTree source;

    private RunbookPositions(String file, SourceTree source) {
        this.file = file;
        this.source = source;
    }

    /** The positions in {@code text}; a text that does not read as YAML or JSON places every path at 0:0. */
    public static RunbookPositions of(String text, String file) {
        SourceTree source;
        try {
            source = RunbookParser.read(text, file);
        } catch (InvalidRunbookException e) {
            source = null;
        }
        return new RunbookPositions(file, source);
    }

    /** A problem at {@code path}, placed at that field, or at its nearest ancestor in the file. */
    public RunbookError error(String path, String message) {
        int[] at = source == null ? new int[] {0, 0} : source.position(path);
        return new RunbookError(file, at[0], at[1], path, message);
    }

    /** {@code file:line:col} of {@code path}, or {@code file} when it is not known. */
    public String where(String path) {
        RunbookError placed = error(path, "");
        return file + (placed.line() > 0 ? ":" + placed.line() + ":" + placed.column() : "");
    }
}
