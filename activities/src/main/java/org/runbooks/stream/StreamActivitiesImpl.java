package org.runbooks.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.jdbc.connect.ConnectionSettings;
import org.runbooks.jdbc.connect.UnknownConnectionException;
import org.runbooks.jdbc.dialect.Dialect;
import org.runbooks.jdbc.dialect.Relation;
import org.runbooks.parse.Identifiers;
import org.runbooks.stream.mariadb.MariaDbStreamSource;
import org.runbooks.stream.pg.PgStreamSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The stream activities (see {@link StreamActivities}) over Debezium's embedded engine and the project's dialects.
 * Every call works from the stream's row in the target's {@code runbook_stream_positions}, so any worker that
 * resolves the two connections can start, run, stop, measure or drop any stream.
 */
public final class StreamActivitiesImpl implements StreamActivities {

    private static final Logger log = LoggerFactory.getLogger(StreamActivitiesImpl.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How often {@link #runStream} heartbeats, checks for a stop request and for the engine's end: 1 s. */
    static final long TICK_MILLIS = 1000;

    /**
     * A stream counts as caught up (lag 0) while its last batch ended on a source heartbeat no longer ago than this
     * many of the source's quiet heartbeat intervals ({@link StreamSource#quietHeartbeatMillis}): 3 s on PostgreSQL,
     * 12 s on MariaDB. Past it, the lag counts from the last heartbeat, so a stalled stream's lag grows.
     */
    static final int CAUGHT_UP_HEARTBEATS = 3;

    /** A stream whose last batch is older than this is not running: 30 s. */
    static final long RUNNING_WITHIN_MILLIS = 30_000;

    private final ConnectionRegistry connections;
    private final Function<String, ConnectionSettings> settings;
    private final StreamMetrics metrics;
    private final Clock clock;

    /**
     * @param settings the connection settings behind each name: Debezium reaches the source by host, port, user and
     *                 password rather than through a JDBC connection
     */
    public StreamActivitiesImpl(ConnectionRegistry connections, Function<String, ConnectionSettings> settings,
                                StreamMetrics metrics, Clock clock) {
        this.connections = connections;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public StreamStarted startStream(StreamSpec spec) {
        return failingTyped(() -> {
            validate(spec);
            StreamSource source = sourceFor(spec);
            StreamNames names = StreamNames.of(spec.streamId());
            try (Connection target = connections.open(spec.targetConnection())) {
                StreamPositions.ensureTable(target);
                target.commit();
                StreamPositions.Position existing = StreamPositions.read(target, spec.streamId());
                target.rollback();
                if (existing != null) {
                    return JSON.readValue(existing.startPosition(), StreamStarted.class);
                }
                checkTarget(target, spec, sourceColumns(spec));
                try (Connection c = connections.open(spec.sourceConnection())) {
                    List<String> warnings = source.preflight(c, spec);
                    StreamSource.Start start = source.start(c, spec, names);
                    StreamStarted s = start.started();
                    StreamStarted started = new StreamStarted(s.source(), s.slot(), s.publication(),
                            s.startPosition(), s.createdSlot(), s.createdPublication(), warnings);
                    StreamPositions.insertStart(target, new StreamPositions.Position(spec.streamId(), source.kind(),
                            start.partitionJson(), start.offsetJson(), JSON.writeValueAsString(started), 0, 0, 0,
                            false, false));
                    target.commit();
                    log.info("stream {}: started at {} on {} ({}{})", spec.streamId(), started.startPosition(),
                            spec.sourceConnection(), started.slot() == null ? "binlog" : "slot " + started.slot(),
                            warnings.isEmpty() ? "" : "; " + String.join("; ", warnings));
                    return started;
                }
            }
        });
    }

    @Override
    public StreamRunResult runStream(StreamSpec spec) {
        ActivityExecutionContext context = Activity.getExecutionContext();
        return failingTyped(() -> {
            validate(spec);
            StreamSource source = sourceFor(spec);
            StreamPositions.Position position = position(spec);
            if (position == null) {
                throw new StreamNotPossibleException("stream " + spec.streamId() + " was never started (or was "
                        + "dropped): StreamStart comes first");
            }
            if (context.getInfo().getAttempt() <= 1 && position.stopRequested()) {
                // A new run after a stop (resume): the earlier request was for the earlier run. A retried attempt
                // keeps a request made while an earlier attempt ran. (Attempts count from 1; Temporal's
                // TestActivityEnvironment reports 0 for its only attempt.)
                try (Connection target = connections.open(spec.targetConnection())) {
                    StreamPositions.requestStop(target, spec.streamId(), false);
                    target.commit();
                }
            }
            List<String> columns = sourceColumns(spec);
            Set<String> targetColumns;
            try (Connection target = connections.open(spec.targetConnection())) {
                targetColumns = checkTarget(target, spec, columns);
            }
            Dialect targetDialect = connections.dialect(spec.targetConnection());
            try (StreamEngine engine = StreamEngine.create(spec, source, settings.apply(spec.sourceConnection()),
                    () -> connections.open(spec.targetConnection()), targetDialect, columns,
                    spec.adoptsSchema() ? targetColumns : Set.of(), metrics, clock)) {
                engine.start();
                log.info("stream {}: applying changes of {} to {}", spec.streamId(), spec.sourceTable(),
                        spec.targetTable());
                while (true) {
                    if (engine.awaitEnd(TICK_MILLIS)) {
                        Throwable failure = engine.failure();
                        throw failure != null ? asFailure(spec, failure)
                                : new IllegalStateException("stream " + spec.streamId() + " ended by itself: "
                                + engine.endMessage());
                    }
                    StreamPositions.Position now = position(spec);
                    StreamLag lag = lag(now, null, source);
                    metrics.lag(spec.streamId(), lag.lagSeconds());
                    context.heartbeat(lag);
                    if (now == null) {
                        throw new StreamNotPossibleException("stream " + spec.streamId() + " was dropped while it ran");
                    }
                    if (now.stopRequested()) {
                        engine.close();
                        StreamPositions.Position last = position(spec);
                        log.info("stream {}: stopped on request after {} changes", spec.streamId(),
                                last.changesApplied());
                        return new StreamRunResult(last.changesApplied(), appliedText(source, last),
                                "stop requested");
                    }
                }
            }
        });
    }

    @Override
    public StreamLag stopStream(StreamSpec spec) {
        return failingTyped(() -> {
            validate(spec);
            try (Connection target = connections.open(spec.targetConnection())) {
                StreamPositions.ensureTable(target);
                StreamPositions.requestStop(target, spec.streamId(), true);
                target.commit();
            }
            return streamLag(spec);
        });
    }

    @Override
    public StreamDropped dropStream(StreamSpec spec) {
        return failingTyped(() -> {
            validate(spec);
            StreamSource source = sourceFor(spec);
            StreamNames names = StreamNames.of(spec.streamId());
            List<String> dropped = new ArrayList<>();
            try (Connection target = connections.open(spec.targetConnection())) {
                StreamPositions.ensureTable(target);
                target.commit();
                StreamPositions.Position position = StreamPositions.read(target, spec.streamId());
                // Without a row the start may have died between creating the slot and recording it: the names are
                // the stream's own (they hold a hash of its id), so whatever carries them is dropped.
                StreamStarted started = position == null ? null
                        : JSON.readValue(position.startPosition(), StreamStarted.class);
                try (Connection c = connections.open(spec.sourceConnection())) {
                    dropped.addAll(source.drop(c, names, started == null || started.createdSlot(),
                            started == null || started.createdPublication()));
                }
                if (StreamPositions.delete(target, spec.streamId())) {
                    dropped.add("applied position of " + spec.streamId());
                }
                target.commit();
            }
            log.info("stream {}: {}", spec.streamId(), new StreamDropped(dropped).summary());
            return new StreamDropped(List.copyOf(dropped));
        });
    }

    @Override
    public StreamLag streamLag(StreamSpec spec) {
        return failingTyped(() -> {
            validate(spec);
            StreamPositions.Position position = position(spec);
            if (position == null) {
                return new StreamLag(-1, -1, -1, 0, null, null, 0, false);
            }
            StreamSource source = sourceFor(spec);
            StreamSource.Distance distance;
            try (Connection c = connections.open(spec.sourceConnection())) {
                distance = source.distance(c, StreamNames.of(spec.streamId()), position.offsetJson());
            }
            StreamLag lag = lag(position, distance, source);
            metrics.lag(spec.streamId(), lag.lagSeconds());
            if (distance.retainedBytes() >= 0) {
                metrics.retainedBytes(spec.streamId(), distance.retainedBytes());
            }
            return lag;
        });
    }

    /** How often {@link #awaitApplied} reads the applied position when no batch commits in this worker: 200 ms. */
    static final long AWAIT_POLL_MILLIS = 200;

    @Override
    public SourcePosition sourcePosition(StreamSpec spec) {
        return failingTyped(() -> {
            validate(spec);
            StreamSource source = sourceFor(spec);
            if (position(spec) == null) {
                throw new StreamNotPossibleException("stream " + spec.streamId() + " was never started (or was "
                        + "dropped): there is no stream to take a position for");
            }
            try (Connection c = connections.open(spec.sourceConnection())) {
                String position = source.markPosition(c, spec);
                log.info("stream {}: source position {} marked on {}", spec.streamId(), position,
                        spec.sourceConnection());
                return new SourcePosition(spec.streamId(), position, clock.millis());
            }
        });
    }

    @Override
    public AppliedWait awaitApplied(AwaitApplied request) {
        ActivityExecutionContext context = Activity.getExecutionContext();
        return failingTyped(() -> {
            if (request == null || request.position() == null || request.position().isBlank()) {
                throw new StreamNotPossibleException("no position to wait for");
            }
            if (request.timeoutMillis() < 1) {
                throw new StreamNotPossibleException("timeoutMillis must be at least 1, not "
                        + request.timeoutMillis());
            }
            StreamSpec spec = request.spec();
            validate(spec);
            StreamSource source = sourceFor(spec);
            long started = System.nanoTime();
            long deadline = started + request.timeoutMillis() * 1_000_000L;
            while (true) {
                long seen = AppliedProgress.seen();
                StreamPositions.Position now = position(spec);
                if (now == null) {
                    throw new StreamNotPossibleException("stream " + spec.streamId() + " was never started (or was "
                            + "dropped)");
                }
                boolean reached = source.reached(now.offsetJson(), request.position());
                long waited = (System.nanoTime() - started) / 1_000_000L;
                if (reached || System.nanoTime() >= deadline) {
                    AppliedWait answer = new AppliedWait(reached, request.position(), streamLag(spec), waited);
                    log.info("stream {}: {}", spec.streamId(), answer.summary());
                    return answer;
                }
                context.heartbeat(lag(now, null, source));
                AppliedProgress.awaitAfter(seen, Math.min(AWAIT_POLL_MILLIS,
                        Math.max(1, (deadline - System.nanoTime()) / 1_000_000L)));
            }
        });
    }

    /** The lag a position row tells, with the source's distance when it was measured. */
    StreamLag lag(StreamPositions.Position p, StreamSource.Distance distance, StreamSource source) {
        if (p == null) {
            return new StreamLag(-1, -1, -1, 0, null, null, 0, false);
        }
        long now = clock.millis();
        double seconds;
        if (p.heardAtMillis() == 0) {
            seconds = -1; // nothing applied or heard yet
        } else if (p.caughtUp()) {
            long slack = CAUGHT_UP_HEARTBEATS * source.quietHeartbeatMillis();
            seconds = Math.max(0, now - p.heardAtMillis() - slack) / 1000.0;
        } else if (p.appliedCommitMillis() > 0) {
            seconds = Math.max(0, now - p.appliedCommitMillis()) / 1000.0;
        } else {
            seconds = Math.max(0, now - p.heardAtMillis()) / 1000.0;
        }
        boolean running = p.heardAtMillis() > 0 && now - p.heardAtMillis() <= RUNNING_WITHIN_MILLIS;
        return new StreamLag(seconds, distance == null ? -1 : distance.bytesBehind(),
                distance == null ? -1 : distance.retainedBytes(), p.changesApplied(),
                distance == null ? p.offsetJson() : distance.appliedPosition(),
                distance == null ? null : distance.sourcePosition(), p.appliedCommitMillis(), running);
    }

    private String appliedText(StreamSource source, StreamPositions.Position p) {
        return p.offsetJson();
    }

    /** The stream's row; the table exists once any stream was started on this target (see {@link #startStream}). */
    private StreamPositions.Position position(StreamSpec spec) throws SQLException {
        try (Connection target = connections.open(spec.targetConnection())) {
            if (!StreamPositions.tableExists(target)) {
                return null;
            }
            StreamPositions.Position p = StreamPositions.read(target, spec.streamId());
            target.rollback();
            return p;
        }
    }

    /** The source table's columns, in order. */
    private List<String> sourceColumns(StreamSpec spec) throws SQLException {
        return columns(spec.sourceConnection(), spec.sourceTable());
    }

    private List<String> columns(String connection, String table) throws SQLException {
        Dialect dialect = connections.dialect(connection);
        try (Connection c = connections.open(connection); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(dialect.noRows(Relation.table(table)))) {
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                columns.add(rs.getMetaData().getColumnName(i));
            }
            c.rollback();
            return columns;
        } catch (SQLException e) {
            throw new StreamNotPossibleException("cannot read the columns of " + table + " on " + connection + ": "
                    + e.getMessage());
        }
    }

    /**
     * Every source column and every key column must exist on the target, or the stream could not apply; returns the
     * target's columns.
     */
    private Set<String> checkTarget(Connection target, StreamSpec spec, List<String> sourceColumns)
            throws SQLException {
        Set<String> targetColumns = new HashSet<>(columns(spec.targetConnection(), spec.targetTable()));
        List<String> missing = sourceColumns.stream().filter(c -> !targetColumns.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new StreamNotPossibleException("target table " + spec.targetTable() + " lacks the source's "
                    + "columns " + missing + ": create them before the stream starts");
        }
        if (!sourceColumns.containsAll(spec.key())) {
            throw new StreamNotPossibleException("the stream's key " + spec.key() + " is not among the columns of "
                    + spec.sourceTable() + " " + sourceColumns);
        }
        return targetColumns;
    }

    private StreamSource sourceFor(StreamSpec spec) {
        return switch (connections.dialect(spec.sourceConnection()).engine()) {
            case POSTGRESQL -> new PgStreamSource();
            case MARIADB -> new MariaDbStreamSource();
            case H2 -> throw new StreamNotPossibleException("connection " + spec.sourceConnection() + " is neither "
                    + "PostgreSQL nor MariaDB: a stream captures from those only");
        };
    }

    private static void validate(StreamSpec spec) {
        List<String> problems = new ArrayList<>();
        if (spec == null) {
            throw new StreamNotPossibleException("no stream given");
        }
        if (spec.streamId() == null || spec.streamId().isBlank()) {
            problems.add("streamId is empty");
        }
        for (String[] t : new String[][] {{"sourceTable", spec.sourceTable()}, {"targetTable", spec.targetTable()}}) {
            if (t[1] == null || Identifiers.tableParts(t[1]) == null) {
                problems.add(t[0] + " is not a table name: " + t[1]);
            }
        }
        if (spec.sourceConnection() == null || spec.targetConnection() == null) {
            problems.add("a stream names a source and a target connection");
        }
        if (spec.key() == null || spec.key().isEmpty()) {
            problems.add("a stream needs a key");
        } else {
            spec.key().stream().filter(k -> !Identifiers.isQuotableName(k)).forEach(k -> problems.add("key column "
                    + k + " is not a column name"));
        }
        if (!problems.isEmpty()) {
            throw new StreamNotPossibleException(String.join("; ", problems));
        }
    }

    @FunctionalInterface
    private interface Body<T> {
        T run() throws Exception;
    }

    /** Runs an activity's body, turning what a retry cannot fix into a non-retryable failure of a stable type. */
    private static <T> T failingTyped(Body<T> body) {
        try {
            return body.run();
        } catch (ActivityCompletionException e) {
            throw e; // cancelled or gone: the engine is closed by then
        } catch (StreamNotPossibleException e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), StreamNotPossibleException.TYPE);
        } catch (StreamSchemaChangedException e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), StreamSchemaChangedException.TYPE);
        } catch (UnknownConnectionException e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "UnknownConnection");
        } catch (ApplicationFailure e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApplicationFailure.newFailure("interrupted", "StreamInterrupted");
        } catch (Exception e) {
            throw ApplicationFailure.newFailureWithCause(e.getMessage(), "StreamFailed", e);
        }
    }

    /** The engine's failure as what the activity throws: a schema change is not retried. */
    private static RuntimeException asFailure(StreamSpec spec, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StreamSchemaChangedException schema) {
                return schema;
            }
        }
        return new IllegalStateException("stream " + spec.streamId() + " stopped: " + failure.getMessage(), failure);
    }
}
