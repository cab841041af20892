package org.runbooks.stream.pg;

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

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * PostgreSQL through logical decoding with the built-in {@code pgoutput} plugin: a publication for the streamed
 * table and a logical replication slot, both created by {@link #start} (the slot's consistent point is the start
 * position) and dropped by {@link #drop}. Debezium never creates or drops either
 * ({@code publication.autocreate.mode=disabled}, {@code slot.drop.on.stop=false}), so a stream's compensation is
 * the only thing that removes them, and it removes only what its own start created.
 */
public final class PgStreamSource implements StreamSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String kind() {
        return "postgres";
    }

    @Override
    public List<String> preflight(Connection c, StreamSpec spec) throws SQLException {
        return PgStreamChecks.check(c, spec);
    }

    @Override
    public Start start(Connection c, StreamSpec spec, StreamNames names) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(true);
        try {
            // The publication first, committed: pgoutput reads it as of each change's LSN, so changes made before
            // it existed would not be published.
            if (!exists(c, "select 1 from pg_publication where pubname = ?", names.publication())) {
                try (Statement st = c.createStatement()) {
                    st.execute("create publication " + quote(names.publication()) + " for table "
                            + quoteTable(spec.sourceTable()));
                }
            }
            String lsn;
            if (exists(c, "select 1 from pg_replication_slots where slot_name = ?", names.slot())) {
                lsn = single(c, "select confirmed_flush_lsn::text from pg_replication_slots where slot_name = ?",
                        names.slot());
            } else {
                lsn = single(c, "select lsn::text from pg_create_logical_replication_slot(?, 'pgoutput')",
                        names.slot());
            }
            // A slot or publication of this name that exists already was made by an earlier attempt of this same
            // start: the name holds a hash of the stream id, so no one else makes it. Both are the stream's to drop.
            StreamStarted started = new StreamStarted(kind(), names.slot(), names.publication(), lsn, true, true,
                    List.of());
            String partition = JSON.writeValueAsString(Map.of("server", names.server()));
            String offset = JSON.writeValueAsString(Map.of("lsn", Lsn.parse(lsn),
                    "ts_usec", System.currentTimeMillis() * 1000));
            return new Start(started, partition, offset);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    @Override
    public Properties connector(ConnectionSettings source, StreamSpec spec, StreamNames names) {
        JdbcUrls url = JdbcUrls.parse(source.url(), 5432);
        Properties p = new Properties();
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("database.hostname", url.host());
        p.setProperty("database.port", Integer.toString(url.port()));
        p.setProperty("database.user", source.user() == null ? "" : source.user());
        p.setProperty("database.password", source.password() == null ? "" : source.password());
        p.setProperty("database.dbname", url.database());
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", names.slot());
        p.setProperty("publication.name", names.publication());
        // The stream's own start created both; the compensation drops them.
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("slot.drop.on.stop", "false");
        p.setProperty("table.include.list", qualified(spec.sourceTable()).replace(".", "\\."));
        // The start position is the slot's, seeded as the stored offset: no snapshot, the backfill copies.
        p.setProperty("snapshot.mode", "no_data");
        // Only the position markers among logical-decoding messages (see markPosition); the applier skips them.
        p.setProperty("message.prefix.include.list", MARKER_PREFIX.replace(".", "\\."));
        // How soon the slot hears that the source may free WAL: 1 s (default 10 s).
        p.setProperty("status.update.interval.ms", "1000");
        return p;
    }

    @Override
    public ResumePoints resumePoints() {
        return ResumePoints.EVERY_CHANGE;
    }

    @Override
    public List<String> drop(Connection c, StreamNames names, boolean createdSlot, boolean createdPublication)
            throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(true);
        List<String> dropped = new ArrayList<>();
        try {
            if (createdSlot && exists(c, "select 1 from pg_replication_slots where slot_name = ?", names.slot())) {
                dropSlot(c, names.slot());
                dropped.add("replication slot " + names.slot());
            }
            if (createdPublication && exists(c, "select 1 from pg_publication where pubname = ?",
                    names.publication())) {
                try (Statement st = c.createStatement()) {
                    st.execute("drop publication if exists " + quote(names.publication()));
                }
                dropped.add("publication " + names.publication());
            }
        } finally {
            c.setAutoCommit(autoCommit);
        }
        return dropped;
    }

    /**
     * Drops the slot; a slot still held by a walsender (a worker killed a moment ago, whose connection the server
     * has not yet timed out) is freed by ending that walsender first, for up to 30 s.
     */
    private static void dropSlot(Connection c, String slot) throws SQLException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try (PreparedStatement ps = c.prepareStatement("select pg_terminate_backend(active_pid) "
                    + "from pg_replication_slots where slot_name = ? and active_pid is not null")) {
                ps.setString(1, slot);
                ps.executeQuery().close();
            }
            try (PreparedStatement ps = c.prepareStatement("select pg_drop_replication_slot(?)")) {
                ps.setString(1, slot);
                ps.executeQuery().close();
                return;
            } catch (SQLException e) {
                // 55006: object_in_use, the slot is active
                if (!"55006".equals(e.getSQLState()) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while dropping slot " + slot, e);
            }
        }
    }

    @Override
    public Distance distance(Connection c, StreamNames names, String offsetJson) throws SQLException {
        long applied = appliedLsn(offsetJson);
        try (PreparedStatement ps = c.prepareStatement("select pg_current_wal_lsn()::text, "
                + "(select pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint from pg_replication_slots "
                + "where slot_name = ?)")) {
            ps.setString(1, names.slot());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String current = rs.getString(1);
                long retained = rs.getLong(2);
                if (rs.wasNull()) {
                    retained = -1;
                }
                long behind = applied < 0 ? -1 : Math.max(0, Lsn.parse(current) - applied);
                return new Distance(current, applied < 0 ? null : Lsn.format(applied), behind, retained);
            }
        } finally {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        }
    }

    /** The prefix of the logical-decoding messages {@link #markPosition} writes. */
    static final String MARKER_PREFIX = "runbooks.position";

    /**
     * A transactional logical-decoding message: decoded at its commit, in commit order, so the stream receives it
     * after every transaction committed before it; its LSN is the message's own, which Debezium carries as the
     * {@code lsn} of the message's offset.
     */
    @Override
    public String markPosition(Connection c, StreamSpec spec) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(true);
        try {
            return single(c, "select pg_logical_emit_message(true, '" + MARKER_PREFIX + "', ?)::text",
                    spec.streamId());
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /**
     * Reached when the offset's own LSN or its last completely processed LSN is at or past the position: a change
     * at LSN {@code l} arrives after every transaction that committed before {@code l}, and {@code lsn_proc} is
     * the end of a transaction wholly processed.
     */
    @Override
    public boolean reached(String offsetJson, String position) {
        long target = Lsn.parse(position);
        try {
            JsonNode offset = JSON.readTree(offsetJson);
            for (String field : new String[] {"lsn", "lsn_proc"}) {
                if (offset.hasNonNull(field) && Long.compareUnsigned(offset.get(field).asLong(), target) >= 0) {
                    return true;
                }
            }
            return false;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The LSN of Debezium's offset: the last completely processed one, else the one it resumes from. */
    static long appliedLsn(String offsetJson) {
        try {
            JsonNode offset = JSON.readTree(offsetJson);
            JsonNode lsn = offset.hasNonNull("lsn_proc") ? offset.get("lsn_proc") : offset.get("lsn");
            return lsn == null || lsn.isNull() ? -1 : lsn.asLong();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static String qualified(String table) {
        List<String> parts = Identifiers.tableParts(table);
        if (parts == null) {
            throw new StreamNotPossibleException("not a table name: " + table);
        }
        return parts.size() == 1 ? "public." + parts.get(0) : String.join(".", parts);
    }

    private static String quote(String identifier) {
        return new org.runbooks.jdbc.dialect.PostgresDialect().quote(identifier);
    }

    private static String quoteTable(String table) {
        return new org.runbooks.jdbc.dialect.PostgresDialect().quoteTable(table);
    }

    static boolean exists(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static String single(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
