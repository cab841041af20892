package org.runbooks.workflow;

/**
 * The settings an operator can change while a runbook runs, all in one immutable value: a pause, the chunk size
 * (null: each step's own), and a rows-per-second limit (null: each step's own; 0: none). {@code version} grows with every change, so a
 * phase can tell that the knobs moved since it started a copy.
 */
public record Knobs(boolean paused, String pausedBy, String pauseReason, Integer chunkRows, Long rowsPerSecond,
                    long version) {

    /** No pause; the runbook's own chunk sizes and rate limits. */
    public static Knobs initial() {
        return new Knobs(false, null, null, null, null, 0);
    }

    Knobs pause(String by, String reason) {
        return new Knobs(true, by, reason, chunkRows, rowsPerSecond, version + 1);
    }

    Knobs resume() {
        return new Knobs(false, null, null, chunkRows, rowsPerSecond, version + 1);
    }

    Knobs tune(Integer newChunkRows, Long newRowsPerSecond) {
        return new Knobs(paused, pausedBy, pauseReason, newChunkRows == null ? chunkRows : newChunkRows,
                newRowsPerSecond == null ? rowsPerSecond : newRowsPerSecond, version + 1);
    }
}
