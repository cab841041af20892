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
 * the binlog's current file and position, read by {@link #start} and seeded as the stored offset. The only thing
 * created on the source is the shared marker table ({@link #MARKERS}), left in place; the source must keep its
 * binlog files until the stream has read them ({@code binlog_expire_logs_seconds}).
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

    /**
     * The bookkeeping table on the source whose rows mark positions ({@link #markPosition}): captured with the
     * streamed table, never applied. Created by {@link #start} before the start position is read, so its creation
     * lies before the stream; shared by every stream of the database, and left in place by {@link #drop}.
     */
    public static final String MARKERS = "runbook_stream_markers";

    @Override
    public Start start(Connection c, StreamSpec spec, StreamNames names) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("create table if not exists " + markers(spec) + " (stream_id varchar(200) not null, "
                    + "marked_at_millis bigint not null, primary key (stream_id))");
        }
        BinlogPosition position = BinlogPosition.current(c);
        StreamStarted started = new StreamStarted(kind(), null, null, position.toString(), false, false, List.of());
        try {
            return new Start(started, JSON.writeValueAsString(Map.of("server", names.server())),
                    JSON.writeValueAsString(Map.of("file", position.file(), "pos", position.position())));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The binlog client's keep-alive, ms; the server sends a heartbeat event after 0.8 of it without events. */
    static final long KEEP_ALIVE_MILLIS = 5000;

    /** A quiet binlog's server heartbeat period: 4 s (see {@link #connector}). */
    @Override
    public long quietHeartbeatMillis() {
        return KEEP_ALIVE_MILLIS * 4 / 5;
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
        p.setProperty("table.include.list", database + "\\." + parts.get(parts.size() - 1) + "," + database + "\\."
                + MARKERS);
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
        // A quiet binlog sends the binlog client nothing, and Debezium's MySQL connector emits its heartbeat only when
        // it handles a binlog event, so a caught-up stream heard nothing for up to 48 s (the server's heartbeat
        // period, 0.8 x the default keep-alive of 60 s) and read a lag that grew meanwhile. The keep-alive sets the
        // period the client asks the server for: 5 s gives a server heartbeat every 4 s (the client reconnects only
        // after 5 s without any event).
        p.setProperty("connect.keep.alive.interval.ms", Long.toString(KEEP_ALIVE_MILLIS));
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
     * The binlog position now, then a marker row written to {@link #MARKERS} in a transaction of its own: every
     * transaction committed before the call lies before the position in the binlog (MariaDB writes a transaction
     * there at its commit, in commit order), and the marker's events lie after it, so the stream's applied offset
     * passes the position once it has applied everything before it, even while the streamed table is quiet.
     *
     * <p>The marker is written twice, in two transactions: the applier commits a row event only once the record
     * after it shows the event complete (see {@link #resumePoints}), and on a quiet binlog the next record might
     * otherwise be the server's heartbeat, up to half of {@code slave_net_timeout} later. The second marker
     * completes the first, whose position is already past the one returned.
     *
     * <p>Each write sets a value the row did not hold (the greater of the clock and the old value plus one): a write
     * that leaves a row as it was is not in the binlog, so two markers in the same millisecond made one event, and
     * the wait then lasted until the server's next heartbeat (4 s: the MariaDB switch's catch-up).
     */
    @Override
    public String markPosition(Connection c, StreamSpec spec) throws SQLException {
        BinlogPosition position = BinlogPosition.current(c);
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(true);
        try (java.sql.PreparedStatement ps = c.prepareStatement("insert into " + markers(spec)
                + " (stream_id, marked_at_millis) values (?, ?) on duplicate key update marked_at_millis = "
                + "greatest(marked_at_millis + 1, values(marked_at_millis))")) {
            for (int i = 0; i < 2; i++) {
                ps.setString(1, spec.streamId());
                ps.setLong(2, System.currentTimeMillis());
                ps.executeUpdate();
            }
        } finally {
            c.setAutoCommit(autoCommit);
        }
        return position.toString();
    }

    /** Reached when the applied offset's binlog file and position are at or past the position's. */
    @Override
    public boolean reached(String offsetJson, String position) {
        BinlogPosition applied = applied(offsetJson);
        return applied != null && applied.compareTo(BinlogPosition.parse(position)) >= 0;
    }

    /** The marker table, in the streamed table's database. */
    private static String markers(StreamSpec spec) {
        List<String> parts = Identifiers.tableParts(spec.sourceTable());
        org.runbooks.jdbc.dialect.MariaDbDialect dialect = new org.runbooks.jdbc.dialect.MariaDbDialect();
        return parts != null && parts.size() == 2 ? dialect.quote(parts.get(0)) + "." + dialect.quote(MARKERS)
                : dialect.quote(MARKERS);
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

    /** A binlog file and a byte position in it; ordered by the file's sequence number, then the position. */
    record BinlogPosition(String file, long position) implements Comparable<BinlogPosition> {

        /** {@code mariadb-bin.000012:4711}, as {@link #toString} writes it. */
        static BinlogPosition parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("not a binlog position: " + text);
            }
            return new BinlogPosition(text.substring(0, colon), Long.parseLong(text.substring(colon + 1)));
        }

        /** Binlog files are numbered {@code <base>.000001}, {@code .000002}…, and the number may outgrow 6 digits. */
        @Override
        public int compareTo(BinlogPosition other) {
            int files = Long.compare(sequence(file), sequence(other.file));
            return files != 0 ? files : Long.compare(position, other.position);
        }

        private static long sequence(String file) {
            return Long.parseLong(file.substring(file.lastIndexOf('.') + 1));
        }

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
