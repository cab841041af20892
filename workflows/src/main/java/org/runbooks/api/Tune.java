package org.runbooks.api;

import org.runbooks.model.Limits;

/**
 * The input of the {@code tune} update: who changes what. Any value may be left out; the bounds of each are those of
 * {@link Limits}, the same as a runbook's own values.
 */
public record Tune(String by, Integer chunkRows, Long rowsPerSecond, Integer parallelism, String signature) {

    /** An unsigned tune. */
    public Tune(String by, Integer chunkRows, Long rowsPerSecond, Integer parallelism) {
        this(by, chunkRows, rowsPerSecond, parallelism, null);
    }


    public Tune(String by, Integer chunkRows, Long rowsPerSecond) {
        this(by, chunkRows, rowsPerSecond, null);
    }

    /** Why this tune is refused (the first value out of bounds, named), or null when every value is within them. */
    public String boundsProblem() {
        if (parallelism != null && Limits.parallelismProblem(parallelism) != null) {
            return "parallelism " + Limits.parallelismProblem(parallelism);
        }
        if (chunkRows != null && Limits.chunkRowsProblem(chunkRows) != null) {
            return "chunkRows " + Limits.chunkRowsProblem(chunkRows);
        }
        if (rowsPerSecond != null && Limits.rowsPerSecondProblem(rowsPerSecond) != null) {
            return "rowsPerSecond " + Limits.rowsPerSecondProblem(rowsPerSecond);
        }
        return null;
    }
}
