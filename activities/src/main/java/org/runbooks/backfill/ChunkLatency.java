package org.runbooks.backfill;

import java.time.Duration;

/**
 * Keeps chunks of a copy near the time one chunk should take, whatever the rows cost (the idea of
 * pt-online-schema-change's {@code --chunk-time}). A chunk slower than {@link #SLOW} halves the size of the next
 * (down to {@link Aimd#FLOOR_ROWS}). A chunk faster than {@link #FAST} lets the next grow: back up to the configured
 * size by a tenth of it at a time, and, where the copy may grow past it ({@link #grownCeiling}), on toward the size
 * that would take {@link #FAST}, at most doubling per chunk. A slow target (a lock, a trigger, a busy disk) then costs
 * the copy smaller transactions rather than failed attempts, and a fast one pays a commit and a checkpoint per few
 * hundred thousand rows instead of per configured chunk, while no chunk takes much longer than {@link #FAST}: a
 * pause or a tune still waits at most about that for the chunk in flight. The throttle probe, when a copy has one,
 * still decides on top of this: the smaller of the two sizes is used. Shared by every range of one copy. The size is
 * committed with each chunk's checkpoint ({@link CopyProgress#chunkRows}), so the next slice of a range starts at it.
 */
final class ChunkLatency {

    /** A chunk slower than this halves the next one: 2 s, a fifth of the copy's 10 s heartbeat timeout. */
    static final Duration SLOW = Duration.ofSeconds(2);
    /** A chunk faster than this lets the next one grow, and what a grown chunk aims to take: 0.5 s. */
    static final Duration FAST = Duration.ofMillis(500);
    /** How far past the configured size a fast chunk may grow, where it may: 64 times. */
    static final int GROWTH = 64;
    /** The largest chunk growth makes: 1,000,000 rows, the most a runbook's {@code chunkRows} may say. */
    static final int MOST_ROWS = 1_000_000;

    private final Integer resumedRows;
    private int configured;
    private int ceiling;
    private int floor;
    /** The size of the next chunk; 0 before the first {@link #cap}. */
    private int current;

    /** Starts at {@code resumedRows} (null: the configured size), never above the ceiling {@link #cap} is given. */
    ChunkLatency(Integer resumedRows) {
        this.resumedRows = resumedRows;
    }

    /**
     * The most a chunk of a copy configured for {@code configured} rows grows to when chunks are fast and nothing
     * holds a chunk whole: {@link #GROWTH} times the configured size, up to {@link #MOST_ROWS} (never below it).
     */
    static int grownCeiling(int configured) {
        return Math.max(configured, (int) Math.min(MOST_ROWS, (long) configured * GROWTH));
    }

    /**
     * The size for the next chunk: {@code wanted}, or less while chunks were slow, or while they have not yet grown
     * to it. {@code configured} is the copy's chunk size, {@code ceiling} the most a fast chunk grows to (the
     * configured size, or {@link #grownCeiling}).
     */
    synchronized int cap(int configured, int ceiling, int wanted) {
        int most = Math.max(Math.max(1, configured), ceiling);
        if (current == 0 || this.configured != Math.max(1, configured) || this.ceiling != most) {
            int start = current != 0 ? current : resumedRows != null ? resumedRows : configured;
            this.configured = Math.max(1, configured);
            this.ceiling = most;
            this.floor = Math.min(Aimd.FLOOR_ROWS, this.configured);
            current = Math.max(floor, Math.min(most, start));
        }
        return Math.min(wanted, current);
    }

    /**
     * Records that a chunk of {@code rows} took {@code nanos} to read and write, and returns the size the next chunk
     * may have (null before the first {@link #cap}).
     */
    synchronized Integer timed(int rows, long nanos) {
        if (current == 0) {
            return null;
        }
        if (rows > 0 && nanos > SLOW.toNanos()) {
            current = Math.max(floor, current / 2);
        } else if (rows > 0 && nanos < FAST.toNanos()) {
            if (current < configured) {
                current = Math.min(configured, current + Math.max(Aimd.FLOOR_ROWS, configured / Aimd.STEPS_TO_RECOVER));
            } else if (rows >= current && current < ceiling) {
                // A full chunk (not a range's short last one) that was fast: on toward the size that takes FAST.
                double faster = Math.min(2.0, (double) FAST.toNanos() / Math.max(1, nanos));
                current = (int) Math.min(ceiling, Math.max(current + 1L, (long) (current * faster)));
            }
        }
        return current;
    }
}
