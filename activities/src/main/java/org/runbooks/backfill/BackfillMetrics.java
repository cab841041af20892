package org.runbooks.backfill;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The backfill's meters, per runbook, step and target table, named the Micrometer way (dots, base units); the
 * worker's {@code /prometheus} endpoint serves them with dots as underscores, counters ending {@code _total} and
 * timers in seconds. One instance per worker, shared by every copy it runs.
 */
public final class BackfillMetrics {

    /** Counter, in rows: rows written by committed chunks. Prometheus derives the rate: {@code rate(..._total[1m])}. */
    public static final String ROWS = "runbook.backfill.rows";
    /** Gauge: rows per second of the latest attempt of each copy, from its start to its latest chunk. */
    public static final String RATE = "runbook.backfill.rows.per.second";
    /** Timer with a histogram: reading and committing one chunk. */
    public static final String CHUNK = "runbook.backfill.chunk";
    /** Timer: time spent waiting for the rows-per-second limit (its sum is the throttle time). */
    public static final String THROTTLE = "runbook.backfill.throttle";

    /** Range of the chunk histogram's buckets: 1 ms to 5 minutes (a chunk must commit inside the heartbeat). */
    private static final Duration CHUNK_MIN = Duration.ofMillis(1);
    private static final Duration CHUNK_MAX = Duration.ofMinutes(5);

    private final MeterRegistry registry;
    /** Gauges read these; a gauge only holds its state weakly, so they are kept here. */
    private final Map<Tags, AtomicLong> rates = new ConcurrentHashMap<>();

    public BackfillMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Meters that go nowhere, for code and tests that run copies without a worker. */
    public static BackfillMetrics none() {
        return new BackfillMetrics(new CompositeMeterRegistry());
    }

    /** The meters of one copy attempt; its rate gauge restarts with the attempt. */
    public CopyMeters copy(String runbook, String step, String table) {
        Tags tags = Tags.of("runbook", String.valueOf(runbook), "step", step, "table", table);
        AtomicLong rate = rates.computeIfAbsent(tags, t -> {
            AtomicLong holder = new AtomicLong(Double.doubleToLongBits(0));
            registry.gauge(RATE, t, holder, h -> Double.longBitsToDouble(h.get()));
            return holder;
        });
        Counter rows = Counter.builder(ROWS).baseUnit("rows").description("rows written by committed chunks")
                .tags(tags).register(registry);
        Timer chunk = Timer.builder(CHUNK).description("reading and committing one chunk").tags(tags)
                .publishPercentileHistogram().minimumExpectedValue(CHUNK_MIN).maximumExpectedValue(CHUNK_MAX)
                .register(registry);
        Timer throttle = Timer.builder(THROTTLE).description("waiting for the rows-per-second limit").tags(tags)
                .register(registry);
        return new CopyMeters(rows, chunk, throttle, rate);
    }
}
