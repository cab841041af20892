package org.runbooks.preflight;

import org.runbooks.model.StreamStep;
import org.runbooks.stream.StreamNotPossibleException;
import org.runbooks.stream.StreamSpec;
import org.runbooks.stream.mariadb.MariaDbStreamChecks;
import org.runbooks.stream.pg.PgStreamChecks;

import java.sql.SQLException;
import java.util.List;

/**
 * Pre-flight of a stream step: the checks its start would make (PostgreSQL: {@code wal_level=logical}, a role that
 * may replicate and create a publication, a free slot, a key or replica identity; MariaDB: a ROW binlog with full
 * row images), asked before anything starts, and the target table readable. Problems are errors, the WAL retention
 * notes warnings.
 */
final class StreamChecks {

    private final OpenConnections connections;
    private final StepFindings at;

    StreamChecks(OpenConnections connections, StepFindings at) {
        this.connections = connections;
        this.at = at;
    }

    void check(StreamStep stream) {
        StreamSpec spec = new StreamSpec("preflight/" + stream.id(), stream.from().connection(),
                stream.from().table(), stream.to().connection(), stream.to().table(), stream.key());
        connections.catalog(stream.from().connection(), at, "stream.from").ifPresent(source -> {
            try {
                List<String> warnings = switch (source.dialect.engine()) {
                    case POSTGRESQL -> PgStreamChecks.check(source.connection, spec);
                    case MARIADB -> MariaDbStreamChecks.check(source.connection, spec);
                    case H2 -> {
                        at.error("stream.from", "connection '" + stream.from().connection() + "' is neither "
                                + "PostgreSQL nor MariaDB: a stream cannot capture its changes");
                        yield List.of();
                    }
                };
                warnings.forEach(w -> at.warning("stream.from", w));
            } catch (StreamNotPossibleException e) {
                at.error("stream.from", e.getMessage());
            } catch (SQLException e) {
                at.error("stream.from", "the stream's checks failed: " + SqlProblems.describe(e));
            }
        });
        connections.catalog(stream.to().connection(), at, "stream.to").ifPresent(target -> {
            try {
                target.tableColumns(stream.to().table());
            } catch (SQLException e) {
                at.error("stream.to", "table " + stream.to().table() + " cannot be read on "
                        + stream.to().connection() + ": " + SqlProblems.describe(e));
            }
        });
    }
}
