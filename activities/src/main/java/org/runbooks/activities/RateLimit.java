package org.runbooks.activities;

/**
 * Keeps a copy at or under a rows-per-second limit by waiting between chunks; 0 means no limit. The wait happens in
 * the activity's own thread, between committed chunks, so nothing is held open while it waits.
 */
final class RateLimit {

    private final long rowsPerSecond;
    private final long startNanos = System.nanoTime();
    private long rows;

    RateLimit(long rowsPerSecond) {
        this.rowsPerSecond = rowsPerSecond;
    }

    void pace(int chunkRows) throws InterruptedException {
        rows += chunkRows;
        if (rowsPerSecond <= 0) {
            return;
        }
        long dueNanos = rows * 1_000_000_000L / rowsPerSecond;
        long aheadMillis = (dueNanos - (System.nanoTime() - startNanos)) / 1_000_000L;
        if (aheadMillis > 0) {
            Thread.sleep(aheadMillis);
        }
    }
}
