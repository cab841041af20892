package org.runbooks.model;

/**
 * The one home of each knob's bounds. The runbook's own value ({@code chunkRows}, {@code parallelism},
 * {@code rowsPerSecond} of a backfill) and an operator's {@code tune} are held to the same bounds, with the same
 * words, so a value the parser accepts is one {@code tune} accepts too.
 */
public final class Limits {

    /**
     * Largest chunk: 1,000,000 rows. A chunk is one transaction on the target (with its checkpoint), so a bigger one
     * holds locks and undo for longer than a migration should, and a kill loses more work.
     */
    public static final int MAX_CHUNK_ROWS = 1_000_000;

    /**
     * Most slices of one copy at once: 32, two connections each (source and target), which is as many as a default
     * PostgreSQL's 100 connections can spare for a migration.
     */
    public static final int MAX_PARALLELISM = 32;

    private Limits() {
    }

    /** Why {@code chunkRows} is refused, or null when it is within bounds. */
    public static String chunkRowsProblem(long chunkRows) {
        return chunkRows < 1 || chunkRows > MAX_CHUNK_ROWS ? "must be 1 to " + MAX_CHUNK_ROWS + ", not " + chunkRows
                : null;
    }

    /** Why {@code parallelism} is refused, or null when it is within bounds. */
    public static String parallelismProblem(long parallelism) {
        return parallelism < 1 || parallelism > MAX_PARALLELISM
                ? "must be 1 to " + MAX_PARALLELISM + ", not " + parallelism : null;
    }

    /** Why {@code rowsPerSecond} is refused, or null when it is within bounds. */
    public static String rowsPerSecondProblem(long rowsPerSecond) {
        return rowsPerSecond < 0 ? "must be >= 0 (0 means no limit), not " + rowsPerSecond : null;
    }

    /** The operator's override when there is one, else the step's own value: how every knob is read. */
    public static int either(Integer override, int own) {
        return override == null ? own : override;
    }

    /** The operator's override when there is one, else the step's own value: how every knob is read. */
    public static long either(Long override, long own) {
        return override == null ? own : override;
    }
}
