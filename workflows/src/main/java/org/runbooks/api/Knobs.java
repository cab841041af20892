package org.runbooks.api;

import org.runbooks.model.BackfillStep;
import org.runbooks.model.Limits;

/**
 * The settings an operator can change while a runbook runs, all in one immutable value: a pause, the chunk size
 * (null: each step's own), a rows-per-second limit (null: each step's own; 0: none), and how many slices of a copy
 * run at once (null: each step's own parallelism). {@code version} grows with every change, so a phase can tell
 * that the knobs moved since it started a copy. {@code parallelism} comes last because it came last: knobs recorded
 * before it existed read it as null.
 */
public record Knobs(boolean paused, String pausedBy, String pauseReason, Integer chunkRows, Long rowsPerSecond,
                    long version, Integer parallelism) {

    public Knobs(boolean paused, String pausedBy, String pauseReason, Integer chunkRows, Long rowsPerSecond,
                 long version) {
        this(paused, pausedBy, pauseReason, chunkRows, rowsPerSecond, version, null);
    }

    /** The chunk size in force for {@code step}: the operator's when tuned, else the step's own. */
    public int chunkRowsFor(BackfillStep step) {
        return Limits.either(chunkRows, step.chunkRows());
    }

    /** The rows-per-second limit in force for {@code step} (0: none): the operator's when tuned, else the step's. */
    public long rowsPerSecondFor(BackfillStep step) {
        return Limits.either(rowsPerSecond, step.rowsPerSecond());
    }

    /** How many slices of {@code step} may run at once: the operator's when tuned, else the step's own. */
    public int parallelismFor(BackfillStep step) {
        return Limits.either(parallelism, step.parallelism());
    }

    /** No pause; the runbook's own chunk sizes, rate limits and parallelism. */
    public static Knobs initial() {
        return new Knobs(false, null, null, null, null, 0, null);
    }

    public Knobs pause(String by, String reason) {
        return new Knobs(true, by, reason, chunkRows, rowsPerSecond, version + 1, parallelism);
    }

    public Knobs resume() {
        return new Knobs(false, null, null, chunkRows, rowsPerSecond, version + 1, parallelism);
    }

    public Knobs tune(Integer newChunkRows, Long newRowsPerSecond) {
        return tune(newChunkRows, newRowsPerSecond, null);
    }

    public Knobs tune(Integer newChunkRows, Long newRowsPerSecond, Integer newParallelism) {
        return new Knobs(paused, pausedBy, pauseReason, newChunkRows == null ? chunkRows : newChunkRows,
                newRowsPerSecond == null ? rowsPerSecond : newRowsPerSecond, version + 1,
                newParallelism == null ? parallelism : newParallelism);
    }
}
