package org.runbooks.backfill;

import java.time.Duration;

/**
 * Keeps chunks of a copy near the time one chunk should take, whatever the rows cost: a chunk slower than
 * {@link #SLOW} halves the size of the next (down to {@link Aimd#FLOOR_ROWS}), a chunk faster than {@link #FAST}
 * lets it grow back by a tenth of the configured size, never above it. A slow target (a lock, a trigger, a busy
 * disk) then costs the copy smaller transactions rather than failed attempts. The throttle probe, when a copy has
 * one, still decides on top of this: the smaller of the two sizes is used. Shared by every range of one copy.
 */
final class ChunkLatency {

    /** A chunk slower than this halves the next one: 2 s, a fifth of the copy's 10 s heartbeat timeout. */
    static final Duration SLOW = Duration.ofSeconds(2);
    /** A chunk faster than this lets the next one grow: 0.5 s. */
    static final Duration FAST = Duration.ofMillis(500);

    private Aimd size;

    /** The size for the next chunk: {@code wanted}, or less while chunks of {@code configured} rows were slow. */
    synchronized int cap(int configured, int wanted) {
        if (size == null || size.ceiling() != Math.max(1, configured)) {
            size = new Aimd(configured, size == null ? configured : size.current());
        }
        return Math.min(wanted, size.current());
    }

    /** Records that a chunk of {@code rows} took {@code nanos} to read, write and commit. */
    synchronized void timed(int rows, long nanos) {
        if (size == null || rows <= 0) {
            return;
        }
        if (nanos > SLOW.toNanos()) {
            size.decrease();
        } else if (nanos < FAST.toNanos()) {
            size.increase();
        }
    }
}
