package org.runbooks.cutover;

import io.temporal.failure.ApplicationFailure;
import org.runbooks.cutover.SequenceSyncResult.SequenceMove;
import org.runbooks.jdbc.Failures;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.jdbc.dialect.Dialect;
import org.runbooks.parse.Identifiers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cutover's database work: moving the target's key generators past the source's, and freezing and thawing the
 * application's writes by trigger ({@link WriteFreezes}, one implementation per database).
 */
public class CutoverActivitiesImpl implements CutoverActivities {

    private static final Logger log = LoggerFactory.getLogger(CutoverActivitiesImpl.class);

    private final ConnectionRegistry connections;

    public CutoverActivitiesImpl(ConnectionRegistry connections) {
        this.connections = connections;
    }

    @Override
    public SequenceSyncResult syncSequences(SequenceSyncRequest request) {
        if (request.margin() < 0) {
            throw ApplicationFailure.newNonRetryableFailure("margin must be 0 or more, not " + request.margin(),
                    "InvalidRequest");
        }
        long started = System.nanoTime();
        KeyGenerators source = generators(request.sourceConnection());
        KeyGenerators target = generators(request.targetConnection());
        try (Connection from = connections.open(request.sourceConnection());
             Connection to = connections.open(request.targetConnection())) {
            Map<String, String> sourceGenerated = source.generated(from, request.sourceTable());
            List<SequenceMove> moves = new ArrayList<>();
            for (Map.Entry<String, String> column : target.generated(to, request.targetTable()).entrySet()) {
                String sourceColumn = request.columns().getOrDefault(column.getKey(), column.getKey());
                long sourceNext = source.max(from, request.sourceTable(), sourceColumn) + 1;
                String sourceGenerator = sourceGenerated.get(sourceColumn);
                if (sourceGenerator != null) {
                    sourceNext = Math.max(sourceNext, source.next(from, request.sourceTable(), sourceGenerator));
                }
                long before = target.next(to, request.targetTable(), column.getValue());
                long wanted = Math.max(sourceNext + request.margin(),
                        target.max(to, request.targetTable(), column.getKey()) + 1);
                long after = before;
                if (before < wanted) {
                    target.moveTo(to, request.targetTable(), column.getValue(), wanted);
                    after = wanted;
                }
                log.info("sequences {}.{}: source next {}, target next {} -> {} ({})", request.targetTable(),
                        column.getKey(), sourceNext, before, after, column.getValue());
                moves.add(new SequenceMove(column.getKey(), column.getValue(), sourceNext, before, after));
            }
            return new SequenceSyncResult(moves, (System.nanoTime() - started) / 1_000_000L);
        } catch (Exception e) {
            throw Failures.of(e);
        }
    }

    /** Characters a freeze id may hold: it is written into trigger bodies and names what they install. */
    private static final java.util.regex.Pattern FREEZE_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_./:@-]{1,200}");

    @Override
    public WritesFrozen freezeWrites(FreezeRequest request) {
        List<String> problems = new ArrayList<>();
        checkFreezeId(request.freezeId(), problems);
        if (request.tables().isEmpty()) {
            problems.add("a freeze names at least one table");
        }
        request.tables().stream().filter(t -> Identifiers.tableParts(t) == null)
                .forEach(t -> problems.add("not a table name: " + t));
        if (request.lockTimeoutMillis() < 0) {
            problems.add("lockTimeoutMillis must be 0 or more, not " + request.lockTimeoutMillis());
        }
        if (!problems.isEmpty()) {
            throw ApplicationFailure.newNonRetryableFailure(String.join("; ", problems), "InvalidRequest");
        }
        WriteFreezes freezes = freezes(request.connection());
        long started = System.nanoTime();
        try (Connection c = connections.open(request.connection())) {
            WriteFreezes.Installed done = freezes.freeze(c, request.freezeId(), request.tables(),
                    request.lockTimeoutMillis());
            long took = (System.nanoTime() - started) / 1_000_000L;
            log.info("freeze {} on {}: {} in {} ms{}", request.freezeId(), request.connection(),
                    done.installed().isEmpty() ? "in place already" : "installed " + done.installed(), took,
                    done.waitedFor().isEmpty() ? "" : ", waited for " + done.waitedFor());
            return new WritesFrozen(request.freezeId(), done.installed(), done.waitedFor(), took);
        } catch (WriteFreezes.FreezeBlockedException e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), WriteFreezes.FreezeBlockedException.TYPE);
        } catch (Exception e) {
            throw Failures.of(e);
        }
    }

    @Override
    public WritesThawed thawWrites(ThawRequest request) {
        List<String> problems = new ArrayList<>();
        checkFreezeId(request.freezeId(), problems);
        if (!problems.isEmpty()) {
            throw ApplicationFailure.newNonRetryableFailure(String.join("; ", problems), "InvalidRequest");
        }
        WriteFreezes freezes = freezes(request.connection());
        try (Connection c = connections.open(request.connection())) {
            WritesThawed thawed = new WritesThawed(request.freezeId(), freezes.thaw(c, request.freezeId()));
            log.info("freeze {} on {}: {}", request.freezeId(), request.connection(), thawed.summary());
            return thawed;
        } catch (Exception e) {
            throw Failures.of(e);
        }
    }

    private static void checkFreezeId(String freezeId, List<String> problems) {
        if (freezeId == null || !FREEZE_ID.matcher(freezeId).matches()) {
            problems.add("a freeze id is 1 to 200 letters, digits and _ . / : @ -, not " + freezeId);
        }
    }

    private WriteFreezes freezes(String connection) {
        Dialect dialect = connections.dialect(connection);
        return switch (dialect.engine()) {
            case POSTGRESQL -> new PgWriteFreezes(dialect);
            case MARIADB -> new MariaDbWriteFreezes(dialect);
            case H2 -> throw ApplicationFailure.newNonRetryableFailure("connection '" + connection + "' is neither "
                    + "PostgreSQL nor MariaDB; writes cannot be frozen there by trigger", "InvalidRequest");
        };
    }

    private KeyGenerators generators(String connection) {
        Dialect dialect = connections.dialect(connection);
        return switch (dialect.engine()) {
            case POSTGRESQL -> new PgKeyGenerators(dialect);
            case MARIADB -> new MariaDbKeyGenerators(dialect);
            case H2 -> throw ApplicationFailure.newNonRetryableFailure("connection '" + connection + "' is neither "
                    + "PostgreSQL nor MariaDB; sequences cannot be moved there", "InvalidRequest");
        };
    }
}
