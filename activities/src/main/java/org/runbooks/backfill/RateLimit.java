package org.runbooks.backfill;

/**
 * Keeps a copy at or under a rows-per-second limit, counted over all of its key ranges together; 0 means no limit.
 * Each range asks after every committed chunk how long to wait, and waits between chunks, so nothing is held open
 * while it waits.
 */
final class RateLimit {

    private final long rowsPerSecond;
    private final long startNanos = System.nanoTime();
    private long rows;

    RateLimit(long rowsPerSecond) {
        this.rowsPerSecond = rowsPerSecond;
    }

    /** Whether a limit is set. */
    boolean limited() {
        return rowsPerSecond > 0;
    }

    /** Counts {@code chunkRows} more rows and returns how many milliseconds to wait to be back at the limit. */
    synchronized long delayMillis(int chunkRows) {
        rows += chunkRows;
        if (rowsPerSecond <= 0) {
            return 0;
        }
        long dueNanos = rows * 1_000_000_000L / rowsPerSecond;
        return Math.max(0, (dueNanos - (System.nanoTime() - startNanos)) / 1_000_000L);
    }
}
