package org.runbooks.stream;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The applied position of every stream, kept in the target in {@code runbook_stream_positions}: one row per stream
 * id, written in the same transaction as the rows a batch applies, so the target never holds rows without the
 * position after them, nor a position without its rows. Debezium reads its offset back from here
 * ({@link TargetOffsetStore}); the source is acknowledged only for positions committed here.
 *
 * <p>The SQL is the project's own bookkeeping, in the subset of SQL that PostgreSQL and MariaDB share.
 */
public final class StreamPositions {

    public static final String TABLE = "runbook_stream_positions";

    /** One stream's row. {@code offsetJson} is Debezium's source offset as JSON, {@code partitionJson} its key. */
    public record Position(String streamId, String source, String partitionJson, String offsetJson,
                           String startPosition, long changesApplied, long appliedCommitMillis, long heardAtMillis,
                           boolean caughtUp, boolean stopRequested) {
    }

    private StreamPositions() {
    }

    public static void ensureTable(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("create table if not exists " + TABLE + " ("
                    + "stream_id varchar(200) primary key, "
                    + "source varchar(20) not null, "
                    + "partition_json text not null, "
                    + "offset_json text not null, "
                    + "start_position text not null, "
                    + "changes_applied bigint not null, "
                    + "applied_commit_millis bigint not null, "
                    + "heard_at_millis bigint not null, "
                    + "caught_up smallint not null, "
                    + "stop_requested smallint not null)");
        }
    }

    /** Whether the table exists, without creating it (a read-only look, for lag and status). */
    public static boolean tableExists(Connection c) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), null, TABLE,
                new String[] {"TABLE"})) {
            boolean found = rs.next();
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            return found;
        }
    }

    /** The stream's row, or null; on a connection whose transaction the caller ends. */
    public static Position read(Connection c, String streamId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select stream_id, source, partition_json, offset_json, "
                + "start_position, changes_applied, applied_commit_millis, heard_at_millis, caught_up, stop_requested "
                + "from " + TABLE + " where stream_id = ?")) {
            ps.setString(1, streamId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new Position(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getInt(9) != 0,
                        rs.getInt(10) != 0);
            }
        }
    }

    /** Records a new stream's start; false when the stream id has a row already (the first start stands). */
    public static boolean insertStart(Connection c, Position p) throws SQLException {
        if (read(c, p.streamId()) != null) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("insert into " + TABLE + " (stream_id, source, partition_json, "
                + "offset_json, start_position, changes_applied, applied_commit_millis, heard_at_millis, caught_up, "
                + "stop_requested) values (?, ?, ?, ?, ?, 0, 0, 0, 0, 0)")) {
            ps.setString(1, p.streamId());
            ps.setString(2, p.source());
            ps.setString(3, p.partitionJson());
            ps.setString(4, p.offsetJson());
            ps.setString(5, p.startPosition());
            ps.executeUpdate();
        }
        return true;
    }

    /**
     * Moves the applied position, inside the caller's transaction (the one that applied the rows): the offset after
     * the batch (null: unchanged), the changes it applied, the source commit time of its last change (0: keep the last one), and
     * whether the batch ended caught up with the source.
     */
    public static void advance(Connection c, String streamId, String offsetJson, long changes, long commitMillis,
                               long heardAtMillis, boolean caughtUp) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update " + TABLE + " set offset_json = coalesce(?, offset_json), "
                + "changes_applied = changes_applied + ?, "
                + "applied_commit_millis = case when ? > 0 then ? else applied_commit_millis end, "
                + "heard_at_millis = ?, caught_up = ? where stream_id = ?")) {
            ps.setString(1, offsetJson);
            ps.setLong(2, changes);
            ps.setLong(3, commitMillis);
            ps.setLong(4, commitMillis);
            ps.setLong(5, heardAtMillis);
            ps.setInt(6, caughtUp ? 1 : 0);
            ps.setString(7, streamId);
            if (ps.executeUpdate() != 1) {
                throw new SQLException("stream " + streamId + " has no row in " + TABLE
                        + ": it was dropped while it ran");
            }
        }
    }

    /** Sets or clears the stop request that a running stream reads between batches. */
    public static boolean requestStop(Connection c, String streamId, boolean stop) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update " + TABLE + " set stop_requested = ? where stream_id = ?")) {
            ps.setInt(1, stop ? 1 : 0);
            ps.setString(2, streamId);
            return ps.executeUpdate() == 1;
        }
    }

    public static boolean delete(Connection c, String streamId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from " + TABLE + " where stream_id = ?")) {
            ps.setString(1, streamId);
            return ps.executeUpdate() == 1;
        }
    }
}
