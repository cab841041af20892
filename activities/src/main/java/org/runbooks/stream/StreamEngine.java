package org.runbooks.stream;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import org.apache.kafka.connect.source.SourceRecord;
import org.runbooks.jdbc.connect.ConnectionSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One running capture-and-apply: Debezium's embedded engine reading the source from the stream's committed position
 * and a {@link ChangeApplier} writing the target. Not a Temporal activity itself, so tests and the activity drive
 * it alike: {@link #start}, watch {@link #failure} and the applier's figures, {@link #close}.
 *
 * <p>What is configured, and why (besides each source's own settings, see {@link StreamSource#connector}):
 * <ul>
 *   <li>{@code offset.storage}: {@link TargetOffsetStore}, the applied position in the target;
 *       {@code offset.flush.interval.ms=1000}: the source hears within about a second what it may free.</li>
 *   <li>{@code heartbeat.interval.ms=1000}: the source's heartbeats tell a caught-up stream (lag 0) from a stalled
 *       one, and let a PostgreSQL slot advance while the streamed table is quiet.</li>
 *   <li>{@code decimal.handling.mode=string}: decimals reach the target digit for digit.</li>
 *   <li>{@code tombstones.on.delete=false}: a delete is one event, not two.</li>
 *   <li>{@code max.batch.size=2048}, {@code poll.interval.ms=50}: one target transaction per batch of up to 2048
 *       changes, and little waiting when the source is quiet.</li>
 *   <li>{@code extended.headers.enabled=false}: no Debezium context headers (connector name, task id, run id) on
 *       every record. Nothing reads them here, and building them, then copying them into each engine event, was
 *       per-event work on the capture thread and the engine's processing threads.</li>
 * </ul>
 */
public final class StreamEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamEngine.class);

    private final StreamSpec spec;
    private final ChangeApplier applier;
    private final DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private final Thread thread;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile String endMessage;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private StreamEngine(StreamSpec spec, ChangeApplier applier, Properties properties) {
        this.spec = spec;
        this.applier = applier;
        this.engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(properties)
                .notifying(applier)
                .using((success, message, error) -> {
                    endMessage = message;
                    if (!success) {
                        failure.compareAndSet(null, error != null ? error : new IllegalStateException(message));
                    }
                    finished.countDown();
                })
                .build();
        this.thread = Thread.ofPlatform().daemon().name("stream " + spec.streamId()).unstarted(engine);
    }

    /**
     * Builds the engine of {@code spec}, reading {@code source} and applying through {@code target}.
     *
     * @param sourceColumns the streamed table's columns as they are now; a change with other columns stops it
     */
    public static StreamEngine create(StreamSpec spec, StreamSource source, ConnectionSettings sourceSettings,
                                      TargetOffsetStore.TargetConnections target,
                                      org.runbooks.jdbc.dialect.Dialect targetDialect, List<String> sourceColumns,
                                      Set<String> adoptable, StreamMetrics metrics, Clock clock) {
        StreamNames names = StreamNames.of(spec.streamId());
        ChangeApplier applier = new ChangeApplier(spec.streamId(), target, targetDialect, spec.targetTable(),
                spec.key(), Set.copyOf(sourceColumns), adoptable, source.resumePoints(), metrics, clock);
        Properties p = source.connector(sourceSettings, spec, names);
        p.setProperty("name", names.server());
        p.setProperty("topic.prefix", names.server());
        p.setProperty("offset.storage", TargetOffsetStore.class.getName());
        p.setProperty(TargetOffsetStore.STREAM_ID, spec.streamId());
        p.setProperty("offset.flush.interval.ms", "1000");
        p.setProperty("offset.flush.timeout.ms", "10000");
        p.setProperty("heartbeat.interval.ms", "1000");
        p.setProperty("decimal.handling.mode", "string");
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("max.batch.size", "2048");
        p.setProperty("poll.interval.ms", "50");
        p.setProperty("extended.headers.enabled", "false");
        TargetOffsetStore.register(spec.streamId(), target);
        return new StreamEngine(spec, applier, p);
    }

    public void start() {
        thread.start();
    }

    /** Whether the engine has ended (stopped, or failed: see {@link #failure}). */
    public boolean ended() {
        return finished.getCount() == 0;
    }

    /** Why the engine ended, if it failed; null while it runs or after a clean stop. */
    public Throwable failure() {
        return failure.get();
    }

    public String endMessage() {
        return endMessage;
    }

    /** Source commit time of the last change this engine applied, epoch ms; 0 for none yet. */
    public long appliedCommitMillis() {
        return applier.appliedCommitMillis.get();
    }

    /** When the last batch committed (worker's clock), epoch ms; 0 for none yet. */
    public long heardAtMillis() {
        return applier.heardAtMillis.get();
    }

    /** Whether the last batch ended with a source heartbeat: nothing was waiting behind it. */
    public boolean caughtUp() {
        return applier.caughtUp;
    }

    /** Changes this engine applied. */
    public long applied() {
        return applier.applied.get();
    }

    /** The offset committed last, as JSON; null before the first batch. */
    public String appliedOffset() {
        return applier.appliedOffset;
    }

    /** Waits up to {@code millis} for the engine to end; true when it has. */
    public boolean awaitEnd(long millis) throws InterruptedException {
        return finished.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Stops the engine: it finishes the batch it is applying (its commit stands or rolls back whole). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            engine.close();
            if (!finished.await(30, TimeUnit.SECONDS)) {
                log.warn("stream {}: the engine did not stop within 30 s", spec.streamId());
            }
        } catch (IOException e) {
            log.warn("stream {}: closing the engine failed: {}", spec.streamId(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            applier.close();
            TargetOffsetStore.unregister(spec.streamId());
        }
    }
}
