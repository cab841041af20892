package org.runbooks.backfill;

import java.time.Duration;

/**
 * Keeps chunks of a copy near the time one chunk should take, whatever the rows cost: a chunk slower than
 * {@link #SLOW} halves the size of the next (down to {@link Aimd#FLOOR_ROWS}), a chunk faster than {@link #FAST}
 * lets it grow back by a tenth of the configured size, never above it. A slow target (a lock, a trigger, a busy
 * disk) then costs the copy smaller transactions rather than failed attempts. The throttle probe, when a copy has
 * one, still decides on top of this: the smaller of the two sizes is used. Shared by every range of one copy. The
 * size is committed with each chunk's checkpoint ({@link CopyProgress#chunkRows}), so the next slice of a slow
 * range starts at it instead of paying for one more slow chunk.
 */
final class ChunkLatency {

    /** A chunk slower than this halves the next one: 2 s, a fifth of the copy's 10 s heartbeat timeout. */
    static final Duration SLOW = Duration.ofSeconds(2);
    /** A chunk faster than this lets the next one grow: 0.5 s. */
    static final Duration FAST = Duration.ofMillis(500);

    private Aimd size;
    /** Where the first chunk starts: the size an earlier slice or attempt recorded; null: the configured size. */
    private final Integer resumedRows;

    /** Starts at {@code resumedRows} (null: the configured size), never above the configured size. */
    ChunkLatency(Integer resumedRows) {
        this.resumedRows = resumedRows;
    }

    /** The size for the next chunk: {@code wanted}, or less while chunks of {@code configured} rows were slow. */
    synchronized int cap(int configured, int wanted) {
        if (size == null || size.ceiling() != Math.max(1, configured)) {
            size = new Aimd(configured, size != null ? size.current() : resumedRows != null ? resumedRows : configured);
        }
        return Math.min(wanted, size.current());
    }

    /**
     * Records that a chunk of {@code rows} took {@code nanos} to read and write, and returns the size the next chunk
     * may have (null before the first {@link #cap}).
     */
    synchronized Integer timed(int rows, long nanos) {
        if (size == null) {
            return null;
        }
        if (rows > 0 && nanos > SLOW.toNanos()) {
            size.decrease();
        } else if (rows > 0 && nanos < FAST.toNanos()) {
            size.increase();
        }
        return size.current();
    }
}
