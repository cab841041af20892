package org.runbooks.backfill;

import org.runbooks.api.KeyRepairResult;
import org.runbooks.jdbc.Failures;
import org.runbooks.jdbc.StatementCancel;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.jdbc.dialect.Dialect;
import org.runbooks.jdbc.dialect.Relation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Re-copies a handful of keys for a validate step's repair: reads each key's row from the backfill's source (its
 * table or query, its columns), in one read-only transaction, then, in one target transaction, upserts every row
 * found and deletes the target row of every key the source lacks. The source's state now is what is written, not
 * what the validation saw, so a key that changed again since is written as it is now, and running the same repair
 * twice leaves the same target. Key by key, because a repair handles at most the hundred keys one validation lists.
 *
 * <p>A rollback may cancel a repair (and waits for it to end before it undoes anything): the statement running then,
 * say an upsert waiting on a row lock, is cancelled, the target transaction rolled back, its locks released, and
 * nothing is committed. Between keys and before the commit the repair checks for a cancel that came while no
 * statement ran.
 */
final class KeyRepair {

    private static final Logger log = LoggerFactory.getLogger(KeyRepair.class);

    private final ConnectionRegistry connections;
    private final CopyPlanner planner;
    private final StatementCancel cancel;

    /** @param cancel the activity's cancel, which stops the running statement ({@link StatementCancel#NONE}: none) */
    KeyRepair(ConnectionRegistry connections, CopyPlanner planner, StatementCancel cancel) {
        this.connections = connections;
        this.planner = planner;
        this.cancel = cancel;
    }

    KeyRepairResult run(KeyRepairRequest request) throws SQLException {
        String who = "runbook=" + request.runbook() + " step=" + request.step().id() + " repair="
                + request.idempotencyKey();
        CopyJob job = planner.job(request.step(), 1, who);
        CopyColumns columns = job.columns();
        if (!columns.targetKey().equals(request.key())) {
            throw Failures.schemaMismatch("the repair's key " + request.key() + " is not the key "
                    + columns.targetKey() + " that " + request.step().id() + " writes into " + request.step().to());
        }
        Map<List<String>, Object[]> rows = readSource(job, request.keys());
        int upserted = 0;
        int deleted = 0;
        try (Connection target = connections.open(job.targetConnection());
             PreparedStatement upsert = target.prepareStatement(
                     job.to().upsert(job.targetTable(), columns.target(), columns.targetKey()));
             PreparedStatement delete = target.prepareStatement("delete from " + job.to().quoteTable(job.targetTable())
                     + " where " + keyEquals(job.to(), columns.targetKey()))) {
            boolean[] binary = job.to().binaryColumns(target, Relation.table(job.targetTable()), columns.targetKey());
            try {
                for (List<String> key : request.keys()) {
                    cancel.throwIfCancelled();
                    Object[] row = rows.get(key);
                    if (row != null) {
                        for (int c = 0; c < row.length; c++) {
                            job.to().bindValue(upsert, c + 1, row[c]);
                        }
                        cancel.cancels(upsert).executeUpdate();
                        upserted++;
                    } else {
                        bindKey(job.to(), delete, key, binary);
                        deleted += cancel.cancels(delete).executeUpdate();
                    }
                }
                cancel.throwIfCancelled();
                target.commit();
            } catch (SQLException | RuntimeException e) {
                target.rollback();
                throw e;
            }
        }
        int absent = request.keys().size() - upserted - deleted;
        log.info("{} upserted {} key(s), deleted {}, {} absent on both sides, in {}", who, upserted, deleted, absent,
                request.step().to());
        return new KeyRepairResult(upserted, deleted, absent);
    }

    /** Each key's source row as the copy reads it, keyed by the key as given; keys the source lacks are left out. */
    private Map<List<String>, Object[]> readSource(CopyJob job, List<List<String>> keys) throws SQLException {
        Dialect from = job.from();
        CopyColumns columns = job.columns();
        String sql = "select " + from.columnList(columns.source()) + " from " + from.relation(job.source())
                + " where " + keyEquals(from, columns.sourceKey());
        Map<List<String>, Object[]> rows = new LinkedHashMap<>();
        try (Connection source = connections.openForReading(job.sourceConnection())) {
            boolean[] binary = from.binaryColumns(source, job.source(), columns.sourceKey());
            try (PreparedStatement select = source.prepareStatement(sql)) {
                for (List<String> key : keys) {
                    cancel.throwIfCancelled();
                    bindKey(from, select, key, binary);
                    try (ResultSet rs = cancel.cancels(select).executeQuery()) {
                        if (rs.next()) {
                            Object[] row = new Object[columns.source().size()];
                            for (int c = 0; c < row.length; c++) {
                                row[c] = from.readValue(rs, c + 1);
                            }
                            rows.put(key, row);
                        }
                    }
                }
            } finally {
                source.rollback();
            }
        }
        return rows;
    }

    /** {@code "a" = ? and "b" = ?}: one key, whole. */
    private static String keyEquals(Dialect dialect, List<String> key) {
        return key.stream().map(k -> dialect.quote(k) + " = ?").collect(Collectors.joining(" and "));
    }

    /** Binds one key, a value of a column that {@code binary} marks as the bytes its hex names. */
    private static void bindKey(Dialect dialect, PreparedStatement statement, List<String> key, boolean[] binary)
            throws SQLException {
        if (key.contains(null)) {
            throw new IllegalArgumentException("a key to repair has a null value: " + key);
        }
        for (int i = 0; i < key.size(); i++) {
            dialect.bindKey(statement, i + 1, key.get(i), binary[i]);
        }
    }
}
