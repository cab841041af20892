package org.runbooks.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;
import org.apache.kafka.connect.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

/**
 * Debezium's offset store over the target's {@code runbook_stream_positions}: the engine reads the offset it resumes
 * from out of the row that {@link ChangeApplier} advances in the same transaction as the rows it applies.
 *
 * <p>Writes are deliberately not persisted here: the engine flushes offsets only for records the applier marked
 * processed, which it does after its transaction committed, so the row already holds them (or a later position).
 * Once the flush "succeeds" the engine acknowledges the position to the source (PostgreSQL's slot confirms the
 * LSN; MariaDB needs no acknowledgement), so the source never forgets a change the target has not committed.
 *
 * <p>The row is read once, when the engine starts; after that {@link ChangeApplier} hands each offset it committed to
 * {@link #committed}, and the store answers from that. The engine asks for the offsets at every flush, to tell the
 * source what it may free; a connection opened for each of those asks cost about as much worker CPU as applying
 * the batches themselves on bench/stream.sh, and a server process each on the source's cluster.
 *
 * <p>Debezium instantiates the store by class name; it finds its stream's target through {@link #register}, keyed by
 * the {@value #STREAM_ID} property of the engine's configuration.
 */
public final class TargetOffsetStore extends MemoryOffsetBackingStore {

    /** The engine property that names the stream whose row this store reads. */
    public static final String STREAM_ID = "runbooks.stream.id";

    /** Opens a connection to the stream's target (autocommit off). */
    @FunctionalInterface
    public interface TargetConnections {
        Connection open() throws SQLException;
    }

    /** A registered stream: its target, and the position last read from or committed to it (null: not read yet). */
    private static final class Registered {
        final TargetConnections target;
        volatile StreamPositions.Position position;

        Registered(TargetConnections target) {
            this.target = target;
        }
    }

    private static final Map<String, Registered> TARGETS = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    private String streamId;

    /** Makes the stream's target known to the store the engine will create; {@link #unregister} when it stops. */
    public static void register(String streamId, TargetConnections target) {
        TARGETS.put(streamId, new Registered(target));
    }

    /**
     * Tells the store the offset {@code offsetJson} committed in the stream's row (by the applier's transaction, which
     * has ended): what the engine reads from here on.
     */
    static void committed(String streamId, String offsetJson) {
        Registered r = TARGETS.get(streamId);
        StreamPositions.Position p = r == null ? null : r.position;
        if (p != null) {
            r.position = new StreamPositions.Position(p.streamId(), p.source(), p.partitionJson(), offsetJson,
                    p.startPosition(), p.changesApplied(), p.appliedCommitMillis(), p.heardAtMillis(), p.caughtUp(),
                    p.stopRequested());
        }
    }

    public static void unregister(String streamId) {
        TARGETS.remove(streamId);
    }

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        Object id = config.originals().get(STREAM_ID);
        if (id == null) {
            throw new IllegalStateException("the engine's configuration lacks " + STREAM_ID);
        }
        streamId = id.toString();
    }

    @Override
    public Future<Map<ByteBuffer, ByteBuffer>> get(Collection<ByteBuffer> keys) {
        try {
            StreamPositions.Position position = readPosition();
            Map<ByteBuffer, ByteBuffer> found = new HashMap<>();
            if (position != null) {
                JsonNode partition = JSON.readTree(position.partitionJson());
                for (ByteBuffer key : keys) {
                    if (partition.equals(partitionOf(key))) {
                        found.put(key, ByteBuffer.wrap(position.offsetJson().getBytes(StandardCharsets.UTF_8)));
                    }
                }
            }
            return CompletableFuture.completedFuture(found);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Nothing to write: the applier's transaction wrote the position already (see the class comment). */
    @Override
    public Future<Void> set(Map<ByteBuffer, ByteBuffer> values, Callback<Void> callback) {
        if (callback != null) {
            callback.onCompletion(null, null);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
        return Set.of();
    }

    private StreamPositions.Position readPosition() throws SQLException {
        Registered r = TARGETS.get(streamId);
        if (r == null) {
            throw new IllegalStateException("stream " + streamId + " has no registered target");
        }
        StreamPositions.Position known = r.position;
        if (known != null) {
            return known;
        }
        try (Connection c = r.target.open()) {
            StreamPositions.Position p = StreamPositions.read(c, streamId);
            c.rollback();
            r.position = p;
            return p;
        }
    }

    /** An offset key is the JSON array {@code [engine name, partition]}; the partition is what identifies it. */
    private static JsonNode partitionOf(ByteBuffer key) throws java.io.IOException {
        byte[] bytes = new byte[key.remaining()];
        key.duplicate().get(bytes);
        JsonNode node = JSON.readTree(bytes);
        return node.isArray() && node.size() == 2 ? node.get(1) : null;
    }
}
