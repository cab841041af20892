package org.runbooks.backfill;

/**
 * The chunk size of a throttled copy, additive increase and multiplicative decrease (as TCP paces a connection):
 * every probe reading above its maximum halves the size, down to {@link #FLOOR_ROWS}; every healthy reading adds a
 * tenth of the configured size (at least {@link #FLOOR_ROWS}), up to the configured size. A copy slows at once when
 * the database struggles and comes back gradually, so one good reading does not swamp it again. Not thread-safe:
 * its {@link Throttle} guards it.
 */
final class Aimd {

    /** Smallest chunk a throttled copy cuts to: 100 rows, so that it still moves while it waits for the probe. */
    static final int FLOOR_ROWS = 100;

    /** Share of the configured size a healthy reading adds back: a tenth, so recovery takes ten healthy chunks. */
    static final int STEPS_TO_RECOVER = 10;

    private final int ceiling;
    private final int floor;
    private int current;

    /** Starts at {@code start} (clamped to the floor and the configured size {@code ceiling}). */
    Aimd(int ceiling, int start) {
        this.ceiling = Math.max(1, ceiling);
        this.floor = Math.min(FLOOR_ROWS, this.ceiling);
        this.current = Math.max(floor, Math.min(this.ceiling, start));
    }

    /** A reading above the maximum: halves the chunk size, not below the floor. */
    int decrease() {
        current = Math.max(floor, current / 2);
        return current;
    }

    /** A healthy reading: grows the chunk size by one step, not above the configured size. */
    int increase() {
        int step = Math.max(FLOOR_ROWS, ceiling / STEPS_TO_RECOVER);
        current = (int) Math.min(ceiling, (long) current + step);
        return current;
    }

    int current() {
        return current;
    }

    int ceiling() {
        return ceiling;
    }
}
