package org.runbooks.backfill;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one copy attempt records, from all of its key ranges at once: each committed chunk (rows and latency) and each
 * wait for the rate limit. Thread-safe.
 */
public final class CopyMeters {

    private final Counter rows;
    private final Timer chunk;
    private final Timer throttle;
    private final AtomicLong rate;
    private final LongAdder rowsThisAttempt = new LongAdder();
    private final long startNanos = System.nanoTime();

    CopyMeters(Counter rows, Timer chunk, Timer throttle, AtomicLong rate) {
        this.rows = rows;
        this.chunk = chunk;
        this.throttle = throttle;
        this.rate = rate;
    }

    /** A chunk of {@code chunkRows} rows was read and committed in {@code nanos}. */
    public void chunkCommitted(int chunkRows, long nanos) {
        rows.increment(chunkRows);
        chunk.record(nanos, TimeUnit.NANOSECONDS);
        rowsThisAttempt.add(chunkRows);
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        if (seconds > 0) {
            rate.set(Double.doubleToLongBits(rowsThisAttempt.sum() / seconds));
        }
    }

    /** The copy waited {@code nanos} to stay under its rows-per-second limit. */
    public void throttled(long nanos) {
        throttle.record(nanos, TimeUnit.NANOSECONDS);
    }
}
