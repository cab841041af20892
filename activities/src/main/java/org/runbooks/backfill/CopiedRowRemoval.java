package org.runbooks.backfill;

import io.temporal.failure.ApplicationFailure;
import org.runbooks.jdbc.Tables;
import org.runbooks.jdbc.dialect.Dialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A backfill's rollback: removes from the target exactly the copied rows that nobody changed since, and keeps the
 * rest. A target row is deleted only when the source holds the same row now, so a rollback can never destroy a row
 * the application wrote or changed: such a row is not on the source as it is on the target, and stays, counted and
 * listed.
 *
 * <p>The keys come from the source, in the source's own order, between the first and last key each range of the copy
 * recorded; the target is only asked for rows by key equality, so a target whose collation orders text keys
 * differently cannot make the span look empty. Deletes run in batches of {@link #BATCH_ROWS} keys, each committed
 * with its checkpoint ({@code runbook_copy_removals}), so a killed worker resumes after the last batch and no
 * transaction holds millions of row locks. Before the first batch the copy's fence is set ({@code rolled_back}),
 * which every chunk's progress update checks, so an attempt of the copy that outlived the rollback writes nothing.
 */
final class CopiedRowRemoval {

    /** Non-retryable: the copy wrote rows and the rollback removed none of them. */
    static final String ROWS_KEPT = "CopiedRowsKept";
    /** Keys read from the source, compared and deleted in one target transaction: 500. */
    static final int BATCH_ROWS = 500;
    /** How many kept keys a compensation's log lists: 100. */
    static final int LISTED_KEYS = 100;

    private static final Logger log = LoggerFactory.getLogger(CopiedRowRemoval.class);

    private final CopyJob job;
    private final String targetName;

    /** @param targetName the target as messages name it, {@code connection.table} */
    CopiedRowRemoval(CopyJob job, String targetName) {
        this.job = job;
        this.targetName = targetName;
    }

    /** Where one range's removal stands, as its checkpoint row records it. */
    private record Removal(List<String> lastKey, long deleted, long kept, long batches, boolean done) {
        static final Removal NONE = new Removal(null, 0, 0, 0, false);
    }

    /** One source row: its key as text (to page on), its key values and its columns as the copy writes them. */
    private record SourceRow(List<String> keyText, Object[] values) {
    }

    /**
     * Removes what the copy wrote into each recorded range and returns the compensation's log line.
     *
     * @param written the progress row of every range that wrote a chunk, fenced already
     * @throws ApplicationFailure {@link #ROWS_KEPT} when the copy wrote rows and none was removed
     */
    String run(Connection source, Connection target, List<CopyProgress> written) throws SQLException {
        long deleted = 0;
        for (CopyProgress range : written) {
            deleted += removeRange(source, target, range).deleted();
        }
        long copied = CopyTotals.of(written).rowsCopied();
        String keys = written.stream().map(p -> p.firstKey() + " to " + p.lastKey())
                .collect(Collectors.joining(", "));
        long remaining = Tables.count(target, job.to(), job.targetTable());
        List<List<String>> remainingKeys = remaining == 0 ? List.of() : firstKeys(target);
        target.commit();
        String kept = "kept " + remaining + " rows that the source does not hold as they are now (written or changed"
                + " since the copy), keys " + remainingKeys.stream().map(List::toString).collect(Collectors.joining(", "))
                + (remaining > remainingKeys.size() ? ", ..." : "");
        log.info("{} removed {} of {} copied rows from {} (keys {}); {} rows remain", job.log(), deleted, copied,
                targetName, keys, remaining);
        if (deleted == 0 && copied > 0) {
            throw ApplicationFailure.newNonRetryableFailure("deleted 0 of " + copied + " copied rows from "
                    + targetName + ": " + kept + ". Nothing was removed: were writes switched to the target before"
                    + " this rollback?", ROWS_KEPT);
        }
        String line = "deleted " + deleted + " of " + copied + " copied rows from " + targetName + " (keys " + keys + ")";
        return remaining == 0 ? line : line + "; " + kept;
    }

    private Removal removeRange(Connection source, Connection target, CopyProgress range) throws SQLException {
        Removal removal = loadRemoval(target, range.copyKey());
        while (!removal.done()) {
            List<SourceRow> batch = readSource(source, removal.lastKey(), range);
            removal = removeBatch(target, range.copyKey(), removal, batch);
        }
        return removal;
    }

    /** The next batch of source rows after {@code after} (from the range's first key when null), up to its last. */
    private List<SourceRow> readSource(Connection source, List<String> after, CopyProgress range) throws SQLException {
        Dialect from = job.from();
        CopyColumns columns = job.columns();
        List<String> key = columns.sourceKey();
        String sql = "select " + from.columnList(columns.source()) + ", " + from.columnList(key) + " from "
                + from.relation(job.source()) + " where " + from.keyCondition(key, after == null ? ">=" : ">")
                + " and " + from.keyCondition(key, "<=") + " order by " + from.columnList(key) + " limit " + BATCH_ROWS;
        List<SourceRow> rows = new ArrayList<>();
        boolean[] binary = from.binaryColumns(source, job.source(), key);
        try (PreparedStatement ps = source.prepareStatement(sql)) {
            int next = from.bindKeyArguments(ps, 1, after == null ? range.firstKey() : after, binary);
            from.bindKeyArguments(ps, next, range.lastKey(), binary);
            try (ResultSet rs = ps.executeQuery()) {
                int width = columns.source().size();
                while (rs.next()) {
                    Object[] values = new Object[width];
                    for (int c = 0; c < width; c++) {
                        values[c] = from.readValue(rs, c + 1);
                    }
                    List<String> keyText = new ArrayList<>(key.size());
                    for (int k = 0; k < key.size(); k++) {
                        keyText.add(from.readKey(rs, width + k + 1));
                    }
                    rows.add(new SourceRow(keyText, values));
                }
            }
        } finally {
            source.rollback();
        }
        return rows;
    }

    /**
     * In one target transaction: locks the batch's target rows, deletes those equal to their source row, and
     * records the batch's checkpoint.
     */
    private Removal removeBatch(Connection target, String copyKey, Removal before, List<SourceRow> batch)
            throws SQLException {
        try {
            Removal after;
            if (batch.isEmpty()) {
                after = new Removal(before.lastKey(), before.deleted(), before.kept(), before.batches(), true);
            } else {
                Map<List<Object>, Object[]> targetRows = lockTargetRows(target, batch);
                List<SourceRow> same = new ArrayList<>();
                int kept = 0;
                for (SourceRow row : batch) {
                    Object[] now = targetRows.get(normalized(sourceKey(row)));
                    if (now != null && sameRow(row.values(), now)) {
                        same.add(row);
                    } else if (now != null) {
                        kept++;
                    }
                }
                int deleted = delete(target, same);
                after = new Removal(batch.get(batch.size() - 1).keyText(), before.deleted() + deleted,
                        before.kept() + kept, before.batches() + 1, batch.size() < BATCH_ROWS);
            }
            saveRemoval(target, copyKey, before, after);
            target.commit();
            return after;
        } catch (SQLException | RuntimeException e) {
            target.rollback();
            throw e;
        }
    }

    private Map<List<Object>, Object[]> lockTargetRows(Connection target, List<SourceRow> batch) throws SQLException {
        Dialect to = job.to();
        CopyColumns columns = job.columns();
        int[] keyAt = columns.targetKey().stream().mapToInt(columns.target()::indexOf).toArray();
        String sql = "select " + to.columnList(columns.target()) + " from " + to.quoteTable(job.targetTable())
                + " where " + keysIn(batch.size()) + " for update";
        Map<List<Object>, Object[]> rows = new HashMap<>();
        try (PreparedStatement ps = target.prepareStatement(sql)) {
            bindKeys(ps, batch);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object[] values = new Object[columns.target().size()];
                    for (int c = 0; c < values.length; c++) {
                        values[c] = to.readValue(rs, c + 1);
                    }
                    List<Object> key = new ArrayList<>(keyAt.length);
                    for (int k : keyAt) {
                        key.add(values[k]);
                    }
                    rows.put(normalized(key), values);
                }
            }
        }
        return rows;
    }

    private int delete(Connection target, List<SourceRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        String sql = "delete from " + job.to().quoteTable(job.targetTable()) + " where " + keysIn(rows.size());
        try (PreparedStatement ps = target.prepareStatement(sql)) {
            bindKeys(ps, rows);
            return ps.executeUpdate();
        }
    }

    /** {@code k in (?, ...)}, or {@code (a = ? and b = ?) or ...} for a key of several columns. */
    private String keysIn(int rows) {
        Dialect to = job.to();
        List<String> key = job.columns().targetKey();
        if (key.size() == 1) {
            return to.quote(key.get(0)) + " in (" + String.join(", ", java.util.Collections.nCopies(rows, "?")) + ")";
        }
        String one = "(" + key.stream().map(k -> to.quote(k) + " = ?").collect(Collectors.joining(" and ")) + ")";
        return String.join(" or ", java.util.Collections.nCopies(rows, one));
    }

    /** Binds each row's key values as the copy bound them into the target, so the target matches them as it did. */
    private void bindKeys(PreparedStatement ps, List<SourceRow> rows) throws SQLException {
        int i = 1;
        for (SourceRow row : rows) {
            for (Object value : sourceKey(row)) {
                job.to().bindValue(ps, i++, value);
            }
        }
    }

    private List<Object> sourceKey(SourceRow row) {
        List<Object> key = new ArrayList<>();
        for (int k : job.columns().keyIndex()) {
            key.add(row.values()[k]);
        }
        return key;
    }

    private List<List<String>> firstKeys(Connection target) throws SQLException {
        Dialect to = job.to();
        List<String> key = job.columns().targetKey();
        String sql = "select " + to.columnList(key) + " from " + to.quoteTable(job.targetTable()) + " order by "
                + to.columnList(key) + " limit " + LISTED_KEYS;
        List<List<String>> keys = new ArrayList<>();
        try (PreparedStatement ps = target.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int k = 1; k <= key.size(); k++) {
                    values.add(to.readKey(rs, k));
                }
                keys.add(values);
            }
        }
        return keys;
    }

    /** Whether two rows hold the same values, column by column, as read by each side's dialect. */
    static boolean sameRow(Object[] source, Object[] target) {
        if (source.length != target.length) {
            return false;
        }
        for (int c = 0; c < source.length; c++) {
            if (!Objects.equals(normalized(source[c]), normalized(target[c]))) {
                return false;
            }
        }
        return true;
    }

    private static List<Object> normalized(List<Object> values) {
        return values.stream().map(CopiedRowRemoval::normalized).toList();
    }

    /**
     * A value in a form that compares equal across the JDBC types two databases read the same value as: numbers by
     * their exact decimal value, bytes by content, everything else by its text.
     */
    private static Object normalized(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] bytes) {
            return Arrays.toString(bytes);
        }
        if (value instanceof Number number && !(value instanceof Double || value instanceof Float)) {
            return new BigDecimal(number.toString()).stripTrailingZeros().toPlainString();
        }
        return value.toString();
    }

    private static Removal loadRemoval(Connection target, String copyKey) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("select last_key, rows_deleted, rows_kept, batches, done"
                + " from runbook_copy_removals where copy_key = ?")) {
            ps.setString(1, copyKey);
            try (ResultSet rs = ps.executeQuery()) {
                Removal removal = rs.next()
                        ? new Removal(CopyProgressStore.decode(rs.getString(1)), rs.getLong(2), rs.getLong(3),
                        rs.getLong(4), rs.getBoolean(5))
                        : Removal.NONE;
                target.commit();
                return removal;
            }
        }
    }

    /**
     * Records the batch's checkpoint in the batch's transaction. The update applies only to the checkpoint as this
     * removal read it, so two removals of the same copy cannot both count a batch.
     */
    private static void saveRemoval(Connection target, String copyKey, Removal before, Removal after)
            throws SQLException {
        String sql = before == Removal.NONE
                ? "insert into runbook_copy_removals (last_key, rows_deleted, rows_kept, batches, done, copy_key)"
                + " values (?, ?, ?, ?, ?, ?)"
                : "update runbook_copy_removals set last_key = ?, rows_deleted = ?, rows_kept = ?, batches = ?,"
                + " done = ?, updated_at = current_timestamp where copy_key = ? and batches = " + before.batches();
        try (PreparedStatement ps = target.prepareStatement(sql)) {
            ps.setString(1, CopyProgressStore.encode(after.lastKey()));
            ps.setLong(2, after.deleted());
            ps.setLong(3, after.kept());
            ps.setLong(4, after.batches());
            ps.setBoolean(5, after.done());
            ps.setString(6, copyKey);
            if (ps.executeUpdate() != 1) {
                throw ApplicationFailure.newFailure("another attempt of the rollback of " + copyKey
                        + " moved its checkpoint; a retry resumes from it", CopyProgressStore.CONCURRENT_COPY);
            }
        }
    }
}
