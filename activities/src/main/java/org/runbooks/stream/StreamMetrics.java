package org.runbooks.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stream's meters, per stream id, named the Micrometer way; Prometheus serves them as
 * {@code runbook_stream_changes_total}, {@code runbook_stream_apply_seconds} and {@code runbook_stream_lag_seconds}
 * (and {@code runbook_stream_retained_bytes}: the WAL a PostgreSQL slot keeps on the source's disk). One instance per
 * worker.
 */
public final class StreamMetrics {

    /** Counter: changes applied by committed batches. */
    public static final String CHANGES = "runbook.stream.changes";
    /** Timer: applying and committing one batch. */
    public static final String APPLY = "runbook.stream.apply";
    /** Gauge: seconds behind the source, as {@link org.runbooks.stream.StreamLag#lagSeconds()}. */
    public static final String LAG = "runbook.stream.lag.seconds";
    /** Gauge: source WAL bytes a slot retains. */
    public static final String RETAINED = "runbook.stream.retained.bytes";

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> lags = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> retained = new ConcurrentHashMap<>();

    public StreamMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Meters that go nowhere, for code and tests that run streams without a worker. */
    public static StreamMetrics none() {
        return new StreamMetrics(new CompositeMeterRegistry());
    }

    Counter changes(String streamId) {
        return Counter.builder(CHANGES).baseUnit("changes").description("changes applied by committed batches")
                .tags(Tags.of("stream", streamId)).register(registry);
    }

    Timer apply(String streamId) {
        return Timer.builder(APPLY).description("applying and committing one batch of changes")
                .tags(Tags.of("stream", streamId)).publishPercentileHistogram().register(registry);
    }

    void lag(String streamId, double seconds) {
        gauge(lags, LAG, streamId).set(Double.doubleToLongBits(seconds));
    }

    void retainedBytes(String streamId, long bytes) {
        gauge(retained, RETAINED, streamId).set(Double.doubleToLongBits(bytes));
    }

    private AtomicLong gauge(Map<String, AtomicLong> holders, String name, String streamId) {
        return holders.computeIfAbsent(streamId, id -> {
            AtomicLong holder = new AtomicLong(Double.doubleToLongBits(0));
            registry.gauge(name, Tags.of("stream", id), holder, h -> Double.longBitsToDouble(h.get()));
            return holder;
        });
    }
}
