package org.runbooks.stream;

/**
 * Wakes whoever waits for a stream's applied position in this worker ({@link StreamActivitiesImpl#awaitApplied})
 * as soon as an applier here commits a batch, instead of leaving it to its next poll. A stream applied by another
 * worker is seen at that poll: waiters never wait longer than the poll interval they give.
 */
final class AppliedProgress {

    private static final Object MONITOR = new Object();
    private static long commits;

    private AppliedProgress() {
    }

    /** A batch committed: wake every waiter. */
    static void committed() {
        synchronized (MONITOR) {
            commits++;
            MONITOR.notifyAll();
        }
    }

    /** The commits counted so far; pass it to {@link #awaitAfter}. */
    static long seen() {
        synchronized (MONITOR) {
            return commits;
        }
    }

    /** Waits until a batch commits after {@code seen} was read, or {@code millis} pass. */
    static void awaitAfter(long seen, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        synchronized (MONITOR) {
            while (commits == seen) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return;
                }
                MONITOR.wait(left);
            }
        }
    }
}
