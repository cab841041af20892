package org.runbooks.api;

/**
 * The input of the {@code tune} update: who changes what. Any value may be left out; {@code chunkRows} must be
 * 1 to {@link #MAX_CHUNK_ROWS}, {@code rowsPerSecond} 0 (no limit) or more, {@code parallelism} 1 to
 * {@link #MAX_PARALLELISM}.
 */
public record Tune(String by, Integer chunkRows, Long rowsPerSecond, Integer parallelism, String signature) {

    /** An unsigned tune. */
    public Tune(String by, Integer chunkRows, Long rowsPerSecond, Integer parallelism) {
        this(by, chunkRows, rowsPerSecond, parallelism, null);
    }


    /** Largest chunk an operator may ask for: 1,000,000 rows, beyond which one chunk's transaction gets unwieldy. */
    public static final int MAX_CHUNK_ROWS = 1_000_000;

    /**
     * Most slices of one copy an operator may run at once: 32, two connections each (source and target), which
     * is as many as a default PostgreSQL's 100 connections can spare for a migration.
     */
    public static final int MAX_PARALLELISM = 32;

    public Tune(String by, Integer chunkRows, Long rowsPerSecond) {
        this(by, chunkRows, rowsPerSecond, null);
    }
}
