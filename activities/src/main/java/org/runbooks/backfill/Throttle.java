package org.runbooks.backfill;

import org.runbooks.api.ThrottleReading;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks a backfill's throttle probe before every chunk and decides the chunk's size ({@link Aimd}). While the probe
 * reads above its maximum (or cannot answer), the copy waits, asking again every {@link #PROBE_EVERY_MILLIS} and
 * halving the chunk size at each such reading; the wait heartbeats and ends at once when the copy is stopped. A
 * slice that has waited {@link #REPORT_AFTER_MILLIS} ends, so the workflow, and {@code status}, hear of the throttle
 * within seconds; the next slice asks the probe again. Shared by every range of a copy, so they wait together.
 */
final class Throttle implements AutoCloseable {

    /** How often a held-back copy asks the probe again: every 1 s. */
    static final long PROBE_EVERY_MILLIS = 1_000;

    /** Longest a slice waits on the probe before it ends to report: 5 s. */
    static final long REPORT_AFTER_MILLIS = 5_000;

    private static final Logger log = LoggerFactory.getLogger(Throttle.class);

    private final ThrottleProbe probe;
    private final double max;
    private final Aimd size;
    private final String who;
    private ThrottleProbe.Reading last;
    private boolean throttled;
    private long throttledNanos;

    /**
     * @param configured the chunk size the copy grows back to
     * @param start      the chunk size it starts at (where an earlier slice left it)
     */
    Throttle(ThrottleProbe probe, double max, int configured, int start, String who) {
        this.probe = probe;
        this.max = max;
        this.size = new Aimd(configured, start);
        this.who = who;
    }

    /**
     * The size of the next chunk, once the probe is healthy. Returns early, with the copy not to write a chunk,
     * when {@code control} stopped it meanwhile (a cancel, or a slice ended to report).
     */
    synchronized int nextChunkRows(CopyControl control) throws InterruptedException {
        long heldSince = System.nanoTime();
        while (true) {
            last = probe.read();
            if (!last.above(max)) {
                if (throttled) {
                    log.info("{} throttle lifted: {} <= {}; chunk size {} growing back to {}", who, last.value(), max,
                            size.current(), size.ceiling());
                }
                throttled = false;
                return size.current() < size.ceiling() ? size.increase() : size.current();
            }
            if (!throttled) {
                log.info("{} throttled: {}; waiting", who, last.problem() != null ? last.problem()
                        : "the probe reads " + last.value() + " > " + max);
            }
            throttled = true;
            size.decrease();
            long began = System.nanoTime();
            boolean goOn = control.hold(PROBE_EVERY_MILLIS);
            throttledNanos += System.nanoTime() - began;
            if (!goOn) {
                return size.current();
            }
            if (System.nanoTime() - heldSince >= REPORT_AFTER_MILLIS * 1_000_000L && control.endSlice()) {
                return size.current();
            }
        }
    }

    /** Where the throttle stands, for the slice's result and so for {@code status}. */
    synchronized ThrottleReading reading() {
        return new ThrottleReading(last == null ? null : last.value(), max, throttled, throttledNanos / 1_000_000L,
                size.current(), size.ceiling(), last == null ? null : last.problem());
    }

    @Override
    public void close() {
        probe.close();
    }
}
