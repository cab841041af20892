package org.runbooks.cutover;

import io.temporal.failure.ApplicationFailure;
import org.runbooks.cutover.SequenceSyncResult.SequenceMove;
import org.runbooks.jdbc.Failures;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.jdbc.dialect.Dialect;
import org.runbooks.jdbc.dialect.MariaDbDialect;
import org.runbooks.jdbc.dialect.PostgresDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The cutover's database work: moving the target's key generators past the source's. */
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
            return new SequenceSyncResult(moves);
        } catch (Exception e) {
            throw Failures.of(e);
        }
    }

    private KeyGenerators generators(String connection) {
        Dialect dialect = connections.dialect(connection);
        if (dialect instanceof PostgresDialect) {
            return new PgKeyGenerators(dialect);
        }
        if (dialect instanceof MariaDbDialect) {
            return new MariaDbKeyGenerators(dialect);
        }
        throw ApplicationFailure.newNonRetryableFailure("connection '" + connection + "' is neither PostgreSQL nor "
                + "MariaDB; sequences cannot be moved there", "InvalidRequest");
    }
}
