package org.runbooks.api;

/**
 * Where a copy's throttle probe stood when a slice ended: its last value (null when the probe failed, and
 * {@code problem} says why), the most it may be, whether the copy was held back at that moment, how long this slice
 * waited on it, and the chunk size in use now (cut in half at every reading above {@code max}, grown back by a step
 * at every healthy one) next to the configured size it grows back to.
 */
public record ThrottleReading(Double lastValue, double max, boolean throttled, long throttledMillis, int chunkRows,
                              int configuredChunkRows, String problem) {
}
