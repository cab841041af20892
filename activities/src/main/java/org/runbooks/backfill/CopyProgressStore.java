package org.runbooks.backfill;

import org.runbooks.jdbc.BookkeepingTables;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.failure.ApplicationFailure;
import org.runbooks.api.CopyRange;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * The copy's own bookkeeping on the target database: one progress row per key range ({@code runbook_copy_progress}),
 * one audit row per chunk written ({@code runbook_copy_chunks}), and, for a copy split into ranges, where the ranges
 * meet ({@code runbook_copy_ranges}). Progress and audit are written in the chunk's transaction, so a checkpoint can
 * never disagree with the data, and a chunk written twice would show as a duplicate key. The ranges are recorded
 * once, with every range's progress row, so a resumed copy cuts the keys exactly as the first attempt did.
 */
public final class CopyProgressStore {

    /** Retryable: another attempt of the same copy (a zombie after a heartbeat timeout) moved a progress row. */
    static final String CONCURRENT_COPY = "ConcurrentCopy";

    /** Non-retryable: the copy was rolled back, so no attempt of it may write again. */
    static final String COPY_ROLLED_BACK = "CopyRolledBack";

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String[] DDL = {
        "create table if not exists runbook_copy_progress (copy_key varchar(512) primary key,"
            + " target_table varchar(200) not null, first_key varchar(4000), last_key varchar(4000),"
            + " rows_copied bigint not null, chunks bigint not null, target_rows_before bigint not null,"
            + " rolled_back boolean not null default false, updated_at timestamp not null default current_timestamp,"
            + " chunk_rows int)",
        "create table if not exists runbook_copy_chunks (copy_key varchar(512) not null, chunk_no bigint not null,"
            + " first_key varchar(4000) not null, last_key varchar(4000) not null, row_count int not null,"
            + " written_at timestamp not null default current_timestamp, primary key (copy_key, chunk_no))",
        "create table if not exists runbook_copy_ranges (copy_key varchar(512) primary key,"
            + " key_column varchar(200) not null, split_points varchar(4000) not null,"
            + " planned_at timestamp not null default current_timestamp)",
        "create table if not exists runbook_copy_removals (copy_key varchar(512) primary key,"
            + " last_key varchar(4000), rows_deleted bigint not null, rows_kept bigint not null,"
            + " batches bigint not null, done boolean not null,"
            + " updated_at timestamp not null default current_timestamp)",
    };

    /** Gives a progress table made before {@link CopyProgress#chunkRows} was kept its column. */
    private static final String ADD_CHUNK_ROWS = "alter table runbook_copy_progress add column if not exists chunk_rows int";

    private CopyProgressStore() {
    }

    public static void ensureTables(Connection target) throws SQLException {
        BookkeepingTables.create(target, DDL);
        addMissingColumns(target);
    }

    /**
     * Gives a progress table made by an earlier version the columns it lacks (their values null until the next
     * chunk). Only when one is missing: an {@code alter table} takes the table's exclusive lock even when it finds
     * the column there, and would queue every other copy's chunk on this target behind it.
     */
    private static void addMissingColumns(Connection target) throws SQLException {
        try (Statement st = target.createStatement()) {
            st.executeQuery("select chunk_rows from runbook_copy_progress where 1 = 0").close();
            target.commit();
            return;
        } catch (SQLException missing) {
            target.rollback();
        }
        BookkeepingTables.create(target, ADD_CHUNK_ROWS);
    }

    static Optional<CopyProgress> load(Connection target, String copyKey) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("select first_key, last_key, rows_copied, chunks,"
                + " target_rows_before, rolled_back, chunk_rows from runbook_copy_progress where copy_key = ?")) {
            ps.setString(1, copyKey);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new CopyProgress(copyKey, decode(rs.getString(1)), decode(rs.getString(2)),
                        rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getBoolean(6),
                        rs.getObject(7) == null ? null : rs.getInt(7)));
            }
        }
    }

    /** The key ranges recorded for {@code copyKey}; empty when the copy runs (or ran) in one range. */
    static Optional<List<CopyRange>> loadRanges(Connection target, String copyKey) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement(
                "select key_column, split_points from runbook_copy_ranges where copy_key = ?")) {
            ps.setString(1, copyKey);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                List<Long> points = decode(rs.getString(2)).stream().map(Long::valueOf).toList();
                return Optional.of(KeyRanges.between(rs.getString(1), points));
            }
        }
    }

    /** Records the ranges of a split copy before its first chunk; the caller commits, with the progress rows. */
    static void saveRanges(Connection target, String copyKey, List<CopyRange> ranges) throws SQLException {
        List<String> points = ranges.stream().skip(1).map(r -> String.valueOf(r.from())).toList();
        try (PreparedStatement ps = target.prepareStatement(
                "insert into runbook_copy_ranges (copy_key, key_column, split_points) values (?, ?, ?)")) {
            ps.setString(1, copyKey);
            ps.setString(2, ranges.get(0).column());
            ps.setString(3, encode(points));
            ps.executeUpdate();
        }
    }

    /** Records a new copy (or one range of it) before its first chunk; the caller commits. */
    static CopyProgress start(Connection target, String copyKey, String table, long targetRowsBefore)
            throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("insert into runbook_copy_progress (copy_key,"
                + " target_table, rows_copied, chunks, target_rows_before) values (?, ?, 0, 0, ?)")) {
            ps.setString(1, copyKey);
            ps.setString(2, table);
            ps.setLong(3, targetRowsBefore);
            ps.executeUpdate();
        }
        return new CopyProgress(copyKey, null, null, 0, 0, targetRowsBefore, false, null);
    }

    /**
     * Advances the progress row and writes the chunk's audit row, in the caller's transaction; {@code nextChunkRows}
     * is the size chunk latency asks of the range's next chunk (null: none). The update only applies to the row as
     * {@code before} saw it; if another attempt moved it meanwhile, this fails (retryably) and the caller's
     * transaction, chunk included, must roll back.
     */
    static CopyProgress chunkWritten(Connection target, CopyProgress before, List<String> chunkFirst,
                                     List<String> chunkLast, int rows, Integer nextChunkRows) throws SQLException {
        CopyProgress after = new CopyProgress(before.copyKey(),
                before.firstKey() == null ? chunkFirst : before.firstKey(), chunkLast,
                before.rowsCopied() + rows, before.chunks() + 1, before.targetRowsBefore(), false, nextChunkRows);
        try (PreparedStatement ps = target.prepareStatement("update runbook_copy_progress set first_key = ?,"
                + " last_key = ?, rows_copied = ?, chunks = ?, chunk_rows = ?, updated_at = current_timestamp"
                + " where copy_key = ? and chunks = ? and rolled_back = false")) {
            ps.setString(1, encode(after.firstKey()));
            ps.setString(2, encode(after.lastKey()));
            ps.setLong(3, after.rowsCopied());
            ps.setLong(4, after.chunks());
            ps.setObject(5, nextChunkRows, java.sql.Types.INTEGER);
            ps.setString(6, after.copyKey());
            ps.setLong(7, before.chunks());
            if (ps.executeUpdate() != 1) {
                load(target, before.copyKey()).ifPresent(CopyProgressStore::refuseRolledBack);
                throw ApplicationFailure.newFailure("the progress of " + before.copyKey() + " moved past chunk "
                        + before.chunks() + " under this attempt: another attempt is copying; a retry resumes from"
                        + " the committed checkpoint", CONCURRENT_COPY);
            }
        }
        try (PreparedStatement ps = target.prepareStatement("insert into runbook_copy_chunks (copy_key, chunk_no,"
                + " first_key, last_key, row_count) values (?, ?, ?, ?, ?)")) {
            ps.setString(1, after.copyKey());
            ps.setLong(2, after.chunks());
            ps.setString(3, encode(chunkFirst));
            ps.setString(4, encode(chunkLast));
            ps.setInt(5, rows);
            ps.executeUpdate();
        }
        return after;
    }

    /**
     * Fails, without retry, when {@code progress} belongs to a copy that was rolled back: a slice attempt that
     * outlived the rollback must not write rows the rollback can no longer see.
     */
    static void refuseRolledBack(CopyProgress progress) {
        if (progress.rolledBack()) {
            throw ApplicationFailure.newNonRetryableFailure("the copy " + progress.copyKey() + " was rolled back;"
                    + " no attempt of it writes again", COPY_ROLLED_BACK);
        }
    }

    /**
     * Sets the fence that every chunk's progress update checks ({@link #chunkWritten}), in its own transaction:
     * once it commits, no attempt of the copy commits another chunk, and a chunk committed before it is visible.
     */
    static void markRolledBack(Connection target, String copyKey) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement(
                "update runbook_copy_progress set rolled_back = true, updated_at = current_timestamp where copy_key = ?")) {
            ps.setString(1, copyKey);
            ps.executeUpdate();
        }
    }

    /** A key as the bookkeeping tables keep it: a JSON list of its values as text. */
    static String encode(List<String> key) {
        try {
            return key == null ? null : JSON.writeValueAsString(key);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> decode(String json) {
        try {
            return json == null ? null : JSON.readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt key in the copy's bookkeeping: " + json, e);
        }
    }
}
