package org.runbooks.workflow;

/**
 * The input of the {@code tune} update: who changes what. Either value may be left out; {@code chunkRows} must be
 * 1 to {@link #MAX_CHUNK_ROWS}, {@code rowsPerSecond} 0 (no limit) or more.
 */
public record Tune(String by, Integer chunkRows, Long rowsPerSecond) {

    /** Largest chunk an operator may ask for: 1,000,000 rows, beyond which one chunk's transaction gets unwieldy. */
    public static final int MAX_CHUNK_ROWS = 1_000_000;
}
