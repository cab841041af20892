package org.runbooks.api;

/**
 * The latest state of a running (or the latest) backfill's throttle probe, as {@code status} and Current Details
 * show it: which probe, its last value against its maximum (or why it gave none), whether the copy is held back
 * now, how long it has waited on the probe in all, and the chunk size in use against the configured one.
 */
public record ThrottleView(String step, String probe, Double lastValue, double max, boolean throttled,
                           long throttledMillis, int chunkRows, int configuredChunkRows, String problem) {

    /** The view after a slice reported {@code reading}, adding its wait to the {@code before} total. */
    public static ThrottleView of(String step, String probe, ThrottleReading reading, long before) {
        return new ThrottleView(step, probe, reading.lastValue(), reading.max(), reading.throttled(),
                before + reading.throttledMillis(), reading.chunkRows(), reading.configuredChunkRows(),
                reading.problem());
    }

    /** True when an operator would see something new: held back or not, the chunk size, the reason, more waiting. */
    public boolean differsFrom(ThrottleView told) {
        return told == null || throttled != told.throttled || chunkRows != told.chunkRows
                || throttledMillis != told.throttledMillis || !java.util.Objects.equals(problem, told.problem);
    }
}
