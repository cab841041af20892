package org.runbooks.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.runbooks.jdbc.dialect.Dialect;
import org.runbooks.jdbc.dialect.Relation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The apply side: each batch the engine hands over is applied to the target in source commit order, and committed
 * in one transaction together with the position after it ({@link StreamPositions#advance}); only then are its
 * records marked processed, which lets the engine flush their offsets and acknowledge them to the source. A crash
 * anywhere before the commit leaves neither the rows nor the position; a crash after it leaves both, and the engine
 * restarted from the committed position skips what it already applied. So every change takes effect exactly once.
 *
 * <p>An insert or update is a full-row upsert by key ({@link Dialect#upsert}); an update that lacks a column (an
 * unchanged TOAST value) upserts only the columns it carries. A delete deletes by key
 * ({@link Dialect#deleteKeyRange} with both ends the key). Since a batch commits whole, a change that a later change
 * of the batch to the same key replaces whole is skipped ({@link ChangeCompaction}); consecutive upserts of the same
 * columns and distinct keys go in multi-row statements ({@link Dialect#upsertRows}), and all statements go as JDBC
 * batches that a change of statement flushes, so the order of statements is the order of changes. Should skipping
 * a row's intermediate states trip a constraint of the target, the batch is applied again change by change. The SQL
 * of each shape is built once and its prepared statement kept on the connection across batches, and a change's
 * columns are checked against the source's once per Debezium schema (one object per table version), not per change.
 *
 * <p>A batch commits only up to the last change after which the source can resume ({@link StreamSource.ResumePoints}):
 * a MariaDB binlog offset inside a multi-row event cannot be resumed from, so the changes after the last complete
 * event wait for the next batch, in memory, unapplied and unacknowledged.
 */
final class ChangeApplier implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {

    private static final Logger log = LoggerFactory.getLogger(ChangeApplier.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The most rows one upsert statement carries: 128 (pgbench's rows: 4 to 5 columns, 512 to 640 parameters). */
    static final int MAX_ROWS = 128;
    /** The most parameters one statement binds, well under PostgreSQL's and MariaDB's limit of 65,535. */
    private static final int MAX_PARAMETERS = 30_000;

    private final String streamId;
    private final TargetOffsetStore.TargetConnections target;
    private final Dialect dialect;
    private final String table;
    private final List<String> key;
    private final Set<String> sourceColumns;
    /**
     * Empty, or, after an operator retried the stream past a schema change, the target's columns: a change may then
     * carry any of them (with the key), so the changes made before the source's change apply as well as those after.
     */
    private final Set<String> adoptable;
    private final Clock clock;
    private final Counter changes;
    private final Timer apply;

    private final StreamSource.ResumePoints resume;
    /** Changes received but not yet applied: the source could not resume right after them (see ResumePoints). */
    private final List<RecordChangeEvent<SourceRecord>> held = new ArrayList<>();

    private Connection connection;
    private boolean[] binaryKey;
    /** The connection's prepared statements by SQL, kept across batches; closed with the connection. */
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    /** The value schema last found to carry exactly the source's columns (Debezium reuses one per table version). */
    private Schema checkedSchema;
    /** The columns of {@link #checkedSchema}, in order. */
    private List<String> allColumns;
    /** Whether a change of {@link #checkedSchema} carrying all its columns sets every column of the target row. */
    private boolean setsWholeRow;
    /** The key's fields in {@link #checkedSchema}. */
    private Field[] keyFields;
    /** Upsert SQL by the columns a change carries: all of them, or all but an unchanged TOAST value's. */
    private final Map<List<String>, String> upserts = new HashMap<>();
    /** Multi-row upsert SQL by the columns it sets and its number of rows (a power of two). */
    private final Map<List<String>, Map<Integer, String>> multiRowUpserts = new HashMap<>();
    private String deleteSql;

    /** Source commit time of the last applied change, epoch ms; 0 before the first. */
    final AtomicLong appliedCommitMillis = new AtomicLong();
    /** When the last batch (changes or a source heartbeat) committed, by the worker's clock, epoch ms. */
    final AtomicLong heardAtMillis = new AtomicLong();
    /** Whether the last batch ended with a source heartbeat, i.e. nothing was waiting behind it. */
    volatile boolean caughtUp;
    /** Changes applied by this applier (this attempt). */
    final AtomicLong applied = new AtomicLong();
    /** The offset committed last, as JSON. */
    volatile String appliedOffset;

    ChangeApplier(String streamId, TargetOffsetStore.TargetConnections target, Dialect dialect, String table,
                  List<String> key, Set<String> sourceColumns, Set<String> adoptable, StreamSource.ResumePoints resume,
                  StreamMetrics metrics, Clock clock) {
        this.streamId = streamId;
        this.resume = resume;
        this.target = target;
        this.dialect = dialect;
        this.table = table;
        this.key = List.copyOf(key);
        this.sourceColumns = Set.copyOf(sourceColumns);
        this.adoptable = Set.copyOf(adoptable);
        this.clock = clock;
        this.changes = metrics.changes(streamId);
        this.apply = metrics.apply(streamId);
    }

    @Override
    public void handleBatch(List<RecordChangeEvent<SourceRecord>> events,
                            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        List<RecordChangeEvent<SourceRecord>> all = new ArrayList<>(held);
        all.addAll(events);
        held.clear();
        if (all.isEmpty()) {
            committer.markBatchFinished();
            return;
        }
        // Commit up to the last change after which the source can resume; hold back the changes after it.
        int safe = -1;
        for (int i = 0; i < all.size(); i++) {
            SourceRecord record = all.get(i).record();
            if (isChange(record) && resume.completes(record, i + 1 < all.size() ? all.get(i + 1).record() : null)) {
                safe = i;
            }
        }
        List<RecordChangeEvent<SourceRecord>> now = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (i <= safe || !isChange(all.get(i).record())) {
                now.add(all.get(i));
            } else {
                held.add(all.get(i));
            }
        }
        if (now.isEmpty()) {
            committer.markBatchFinished();
            return;
        }
        long started = System.nanoTime();
        try {
            Batch batch = applyAndCommit(now.stream().map(RecordChangeEvent::record).toList(),
                    safe < 0 ? null : all.get(safe).record(), held.isEmpty());
            if (batch.changes > 0) {
                changes.increment(batch.changes);
                apply.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        } catch (SQLException e) {
            closeConnection();
            throw new IllegalStateException("stream " + streamId + " could not apply a batch of " + now.size()
                    + " changes to " + table + ": " + e.getMessage(), e);
        }
        for (RecordChangeEvent<SourceRecord> event : now) {
            committer.markProcessed(event);
        }
        committer.markBatchFinished();
    }

    /** A row of the source's marker table ({@link org.runbooks.stream.mariadb.MariaDbStreamSource#MARKERS}). */
    private static boolean isMarker(Struct source) {
        return source != null && source.schema().field("table") != null
                && org.runbooks.stream.mariadb.MariaDbStreamSource.MARKERS.equals(source.getString("table"));
    }

    private static boolean isChange(SourceRecord record) {
        return record.value() instanceof Struct value && value.schema().field("op") != null;
    }

    private record Batch(long changes, long commitMillis) {
    }

    /**
     * Applies {@code records} and commits them with the position after {@code resumeAfter} (null: the position stays,
     * the records being source heartbeats only).
     */
    private Batch applyAndCommit(List<SourceRecord> records, SourceRecord resumeAfter, boolean nothingHeld)
            throws SQLException {
        Connection c = connection();
        try {
            List<Change> changes = new ArrayList<>(records.size());
            long commitMillis = 0;
            for (SourceRecord record : records) {
                if (!(record.value() instanceof Struct value) || value.schema().field("op") == null) {
                    continue; // a heartbeat or a tombstone: moves the position only
                }
                String op = value.getString("op");
                Struct source = value.getStruct("source");
                if (isMarker(source)) {
                    continue; // a position marker row (MariaDB's sourcePosition): moves the applied position only
                }
                if (source != null && source.schema().field("ts_ms") != null && source.get("ts_ms") != null) {
                    commitMillis = source.getInt64("ts_ms");
                }
                Change next = switch (op) {
                    case "c", "u", "r" -> upsert(value.getStruct("after"));
                    case "d" -> delete(value.getStruct("before"), record.key());
                    case "t" -> throw new StreamSchemaChangedException("the source table of stream " + streamId
                            + " was truncated; the stream stops rather than guess (truncate the target, or run "
                            + "the backfill again, then start a new stream)");
                    // A position marker (StreamActivities.sourcePosition): moves the applied position only.
                    case "m" -> null;
                    default -> throw new IllegalStateException("unknown change operation " + op);
                };
                if (next != null) {
                    changes.add(next);
                }
            }
            applyCompacted(c, changes);
            SourceRecord last = records.get(records.size() - 1);
            boolean endsCaughtUp = !isChange(last) && nothingHeld;
            long now = clock.millis();
            String offset = resumeAfter == null ? null : offsetJson(resume.offset(resumeAfter));
            long count = changes.size();
            StreamPositions.advance(c, streamId, offset, count, commitMillis, now, endsCaughtUp);
            c.commit();
            AppliedProgress.committed();
            if (offset != null) {
                appliedOffset = offset;
                TargetOffsetStore.committed(streamId, offset);
            }
            if (commitMillis > 0) {
                appliedCommitMillis.set(commitMillis);
            }
            heardAtMillis.set(now);
            caughtUp = endsCaughtUp;
            applied.addAndGet(count);
            return new Batch(count, commitMillis);
        } catch (SQLException | RuntimeException e) {
            try {
                clearBatches();
                c.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
    }

    /**
     * Applies what is left of {@code changes} once superseded ones are dropped ({@link ChangeCompaction}), runs of
     * upserts of the same columns and distinct keys as multi-row statements (one statement and one round trip for
     * up to {@link #MAX_ROWS} rows). The target's constraints judge the result as they would the changes one by one,
     * except that a row's intermediate states are skipped; should that trip a constraint the one-by-one order would
     * not (a unique value moved between rows and back within the batch), the batch is applied again one by one.
     */
    private void applyCompacted(Connection c, List<Change> changes) throws SQLException {
        List<Change> kept = ChangeCompaction.kept(changes, Change::key, Change::whole);
        try {
            Pipeline pipeline = new Pipeline(c);
            int i = 0;
            while (i < kept.size()) {
                Change first = kept.get(i);
                int end = i + 1;
                if (!first.isDelete()) {
                    Set<List<String>> keys = new HashSet<>();
                    keys.add(first.key());
                    int maxRows = Math.max(1, Math.min(MAX_ROWS, MAX_PARAMETERS / first.values().length));
                    while (end < kept.size() && end - i < maxRows && first.sql().equals(kept.get(end).sql())
                            && keys.add(kept.get(end).key())) {
                        end++;
                    }
                }
                upsertRows(pipeline, kept.subList(i, end));
                i = end;
            }
            pipeline.flush();
        } catch (SQLException e) {
            if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                throw e;
            }
            log.info("stream {}: a batch applied as compacted broke a constraint ({}); applying it change by change",
                    streamId, e.getMessage());
            clearBatches();
            c.rollback();
            applyInOrder(c, changes);
        }
    }

    /**
     * Upserts {@code rows} (same columns, distinct keys; or one delete) in statements of 2^k rows, largest first.
     */
    private void upsertRows(Pipeline pipeline, List<Change> rows) throws SQLException {
        int at = 0;
        while (at < rows.size()) {
            int n = Integer.highestOneBit(rows.size() - at);
            Change first = rows.get(at);
            String sql = n == 1 ? first.sql() : multiRowUpserts
                    .computeIfAbsent(first.columns(), k -> new HashMap<>())
                    .computeIfAbsent(n, k -> dialect.upsertRows(table, first.columns(), key, k));
            PreparedStatement ps = pipeline.next(sql);
            int index = 1;
            for (Change row : rows.subList(at, at + n)) {
                index = bind(ps, index, row);
            }
            ps.addBatch();
            at += n;
        }
    }

    /**
     * Statements sent as JDBC batches, so the driver sends them without waiting for each answer: consecutive
     * executions of one statement go in one batch, and a different statement sends the batch before it first, so
     * the statements run in the order they were made.
     */
    private final class Pipeline {
        private final Connection c;
        private PreparedStatement pending;

        Pipeline(Connection c) {
            this.c = c;
        }

        PreparedStatement next(String sql) throws SQLException {
            PreparedStatement ps = prepared(c, sql);
            if (ps != pending) {
                flush();
                pending = ps;
            }
            return ps;
        }

        void flush() throws SQLException {
            if (pending != null) {
                pending.executeBatch();
                pending = null;
            }
        }
    }

    /** Every change in source order, one statement each. */
    private void applyInOrder(Connection c, List<Change> changes) throws SQLException {
        Pipeline pipeline = new Pipeline(c);
        for (Change change : changes) {
            PreparedStatement ps = pipeline.next(change.sql());
            bind(ps, 1, change);
            ps.addBatch();
        }
        pipeline.flush();
    }

    private PreparedStatement prepared(Connection c, String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = c.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    private void clearBatches() throws SQLException {
        for (PreparedStatement ps : statements.values()) {
            ps.clearBatch();
        }
    }

    /** Binds {@code change}'s parameters from {@code index} on; returns the next free index. */
    private int bind(PreparedStatement ps, int index, Change change) throws SQLException {
        if (change.isDelete()) {
            int next = dialect.bindKeyArguments(ps, index, change.key(), binaryKey);
            return dialect.bindKeyArguments(ps, next, change.key(), binaryKey);
        }
        for (Object value : change.values()) {
            dialect.bindValue(ps, index++, value);
        }
        return index;
    }

    /**
     * One change, ready to apply: its one-row statement, the columns an upsert sets (null for a delete), the key as
     * text (what compaction compares, and what a delete binds), whether it sets or removes the whole row, and an
     * upsert's values in the order of its columns (null for a delete).
     */
    private record Change(String sql, List<String> columns, List<String> key, boolean whole, Object[] values) {
        boolean isDelete() {
            return values == null;
        }
    }

    private Change upsert(Struct after) {
        Schema schema = after.schema();
        if (schema != checkedSchema) {
            Set<String> fields = new LinkedHashSet<>();
            schema.fields().forEach(f -> fields.add(f.name()));
            boolean adopted = !adoptable.isEmpty() && adoptable.containsAll(fields) && fields.containsAll(key);
            if (!fields.equals(sourceColumns) && !adopted) {
                throw new StreamSchemaChangedException("the columns of the source table of stream " + streamId
                        + " changed: the stream started with " + sourceColumns + ", a change now carries " + fields
                        + "; the stream stops rather than drop or misplace a column");
            }
            checkedSchema = schema;
            allColumns = List.copyOf(fields);
            // After a retry past a schema change, a change of the older shape lacks the target's newer columns: it
            // replaces only what it carries, so a later change of that shape must not skip an earlier fuller one.
            setsWholeRow = adoptable.isEmpty() || fields.containsAll(adoptable);
            keyFields = new Field[key.size()];
            for (int i = 0; i < key.size(); i++) {
                keyFields[i] = schema.field(key.get(i));
                if (keyFields[i] == null) {
                    throw new IllegalStateException("a change on the source of stream " + streamId
                            + " lacks key column " + key.get(i) + " of the key " + key);
                }
            }
        }
        List<Field> fields = schema.fields();
        Object[] values = new Object[fields.size()];
        List<String> columns = allColumns;
        int n = 0;
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            Object raw = after.get(f);
            if (ConnectValues.unavailable(raw)) {
                if (columns == allColumns) {
                    columns = new ArrayList<>(allColumns.subList(0, i));
                }
                continue; // unchanged TOAST: the target keeps its value
            }
            if (columns != allColumns) {
                columns.add(f.name());
            }
            values[n++] = ConnectValues.toJdbc(f.schema(), raw);
        }
        List<String> keyValues = new ArrayList<>(keyFields.length);
        for (Field f : keyFields) {
            keyValues.add(keyText(ConnectValues.toJdbc(f.schema(), after.get(f))));
        }
        boolean whole = columns == allColumns && setsWholeRow;
        List<String> set = whole ? allColumns : List.copyOf(columns);
        String sql = upserts.computeIfAbsent(set, c -> dialect.upsert(table, c, key));
        return new Change(sql, set, keyValues, whole, n == values.length ? values : Arrays.copyOf(values, n));
    }

    private Change delete(Struct before, Object recordKey) {
        Struct from = before != null ? before : (Struct) recordKey;
        List<String> values = new ArrayList<>(key.size());
        for (String column : key) {
            Field f = from.schema().field(column);
            if (f == null) {
                throw new IllegalStateException("a delete on the source of stream " + streamId + " lacks key column "
                        + column + ": the source table's replica identity must include the key " + key);
            }
            values.add(keyText(ConnectValues.toJdbc(f.schema(), from.get(f))));
        }
        if (deleteSql == null) {
            deleteSql = dialect.deleteKeyRange(table, key);
        }
        return new Change(deleteSql, null, values, true, null);
    }

    private static String keyText(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] bytes) {
            return "\\x" + java.util.HexFormat.of().formatHex(bytes);
        }
        if (value instanceof java.time.LocalDateTime t) {
            return t.toString().replace('T', ' ');
        }
        return value.toString();
    }

    private static String offsetJson(Map<String, ?> offset) {
        try {
            return JSON.writeValueAsString(offset);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            closeConnection(); // and the statements prepared on it
            connection = target.open();
            connection.setAutoCommit(false);
            binaryKey = dialect.binaryColumns(connection, Relation.table(table), key);
            connection.rollback();
        }
        return connection;
    }

    private void closeConnection() {
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException e) {
                log.debug("stream {}: closing a statement failed: {}", streamId, e.getMessage());
            }
        }
        statements.clear();
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("stream {}: closing the target connection failed: {}", streamId, e.getMessage());
            }
            connection = null;
        }
    }

    /** Closes the target connection; the engine has stopped calling. */
    void close() {
        closeConnection();
    }
}
