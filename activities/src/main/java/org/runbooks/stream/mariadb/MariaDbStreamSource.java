package org.runbooks.stream.mariadb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.runbooks.jdbc.connect.ConnectionSettings;
import org.runbooks.parse.Identifiers;
import org.runbooks.stream.JdbcUrls;
import org.runbooks.stream.StreamNames;
import org.runbooks.stream.StreamNotPossibleException;
import org.runbooks.stream.StreamSource;
import org.runbooks.stream.StreamSpec;
import org.runbooks.stream.StreamStarted;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

import java.sql.Connection;
import java.util.HashMap;
import java.util.Objects;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * MariaDB through its row binlog, read as a replica reads it (Debezium's binlog connector). The start position is
 * the binlog's current file and position, read by {@link #start} and seeded as the stored offset; nothing is created
 * on the source, so there is nothing to drop, but the source must keep its binlog files until the stream has read
 * them ({@code binlog_expire_logs_seconds}).
 *
 * <p>Debezium's MySQL connector is used: its MariaDB connector is not published for 3.6.1. It reads MariaDB's
 * binlog from a file and position, through {@link MariaDbBinlogDriver}.
 */
public final class MariaDbStreamSource implements StreamSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String kind() {
        return "mariadb";
    }

    @Override
    public List<String> preflight(Connection c, StreamSpec spec) throws SQLException {
        return MariaDbStreamChecks.check(c, spec);
    }

    @Override
    public Start start(Connection c, StreamSpec spec, StreamNames names) throws SQLException {
        BinlogPosition position = BinlogPosition.current(c);
        StreamStarted started = new StreamStarted(kind(), null, null, position.toString(), false, false, List.of());
        try {
            return new Start(started, JSON.writeValueAsString(Map.of("server", names.server())),
                    JSON.writeValueAsString(Map.of("file", position.file(), "pos", position.position())));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Properties connector(ConnectionSettings source, StreamSpec spec, StreamNames names) {
        JdbcUrls url = JdbcUrls.parse(source.url(), 3306);
        List<String> parts = Identifiers.tableParts(spec.sourceTable());
        if (parts == null) {
            throw new StreamNotPossibleException("not a table name: " + spec.sourceTable());
        }
        String database = parts.size() == 2 ? parts.get(0) : url.database();
        Properties p = new Properties();
        p.setProperty("connector.class", "io.debezium.connector.mysql.MySqlConnector");
        p.setProperty("database.hostname", url.host());
        p.setProperty("database.port", Integer.toString(url.port()));
        p.setProperty("database.user", source.user() == null ? "" : source.user());
        p.setProperty("database.password", source.password() == null ? "" : source.password());
        p.setProperty("database.server.id", Long.toString(names.serverId()));
        p.setProperty("database.include.list", database);
        p.setProperty("table.include.list", database + "\\." + parts.get(parts.size() - 1));
        p.setProperty("database.ssl.mode", "disabled");
        p.setProperty("database.jdbc.driver", MariaDbBinlogDriver.class.getName());
        p.setProperty("database.protocol", MariaDbBinlogDriver.PROTOCOL);
        // The table's schema is read afresh at every start (recovery: schema only, from the tables as they are),
        // kept in memory, then the binlog is read from the stored offset. A schema change since is caught by the
        // applier, which compares each change's columns with the ones the stream started with.
        p.setProperty("snapshot.mode", "recovery");
        p.setProperty("snapshot.locking.mode", "none");
        p.setProperty("schema.history.internal", "io.debezium.relational.history.MemorySchemaHistory");
        p.setProperty("include.schema.changes", "false");
        return p;
    }

    /** The last row of each rows event, with its rows to skip cleared (see {@link ResumePoints}). */
    @Override
    public ResumePoints resumePoints() {
        return new ResumePoints() {
            @Override
            public boolean completes(SourceRecord change, SourceRecord next) {
                if (next == null) {
                    return false; // the event may hold more rows, still to come
                }
                boolean nextIsChange = next.value() instanceof Struct v && v.schema().field("op") != null;
                return !nextIsChange || !Objects.equals(change.sourceOffset().get("file"), next.sourceOffset().get("file"))
                        || !Objects.equals(change.sourceOffset().get("pos"), next.sourceOffset().get("pos"));
            }

            @Override
            public Map<String, ?> offset(SourceRecord change) {
                Map<String, Object> offset = new HashMap<>(change.sourceOffset());
                offset.remove("row");
                return offset;
            }
        };
    }

    @Override
    public List<String> drop(Connection c, StreamNames names, boolean createdSlot, boolean createdPublication) {
        return List.of();
    }

    /**
     * Not yet: the binlog connector reads only the streamed table's events, and the applied offset moves only with
     * them, so a position taken while the table is frozen could never be passed; a marker the stream reads (a row in
     * a captured bookkeeping table) is the way, still to build.
     */
    @Override
    public String markPosition(Connection c, StreamSpec spec) {
        throw new StreamNotPossibleException("a source position for a cutover is not offered on MariaDB yet (stream "
                + spec.streamId() + "): the binlog stream carries no position marker");
    }

    @Override
    public boolean reached(String offsetJson, String position) {
        return false;
    }

    @Override
    public Distance distance(Connection c, StreamNames names, String offsetJson) throws SQLException {
        BinlogPosition current = BinlogPosition.current(c);
        BinlogPosition applied = applied(offsetJson);
        long behind = applied == null || !applied.file().equals(current.file()) ? -1
                : Math.max(0, current.position() - applied.position());
        return new Distance(current.toString(), applied == null ? null : applied.toString(), behind, -1);
    }

    static BinlogPosition applied(String offsetJson) {
        try {
            JsonNode offset = JSON.readTree(offsetJson);
            if (!offset.hasNonNull("file") || !offset.hasNonNull("pos")) {
                return null;
            }
            return new BinlogPosition(offset.get("file").asText(), offset.get("pos").asLong());
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** A binlog file and a byte position in it. */
    record BinlogPosition(String file, long position) {

        /** {@code show master status}, or on MariaDB 10.5.2+ its new name {@code show binlog status}. */
        static BinlogPosition current(Connection c) throws SQLException {
            try (Statement st = c.createStatement()) {
                ResultSet status;
                try {
                    status = st.executeQuery("show binlog status");
                } catch (SQLException newerNameUnknown) {
                    status = st.executeQuery("show master status");
                }
                try (ResultSet rs = status) {
                    if (!rs.next()) {
                        throw new StreamNotPossibleException("the source has no binlog (log_bin is off): start "
                                + "MariaDB with --log-bin --binlog-format=ROW --binlog-row-image=FULL");
                    }
                    return new BinlogPosition(rs.getString(1), rs.getLong(2));
                }
            } finally {
                if (!c.getAutoCommit()) {
                    c.rollback();
                }
            }
        }

        @Override
        public String toString() {
            return file + ":" + position;
        }
    }
}
