package org.runbooks.backfill;

import org.runbooks.api.KeyRepairResult;
import org.runbooks.jdbc.Failures;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.jdbc.dialect.Dialect;
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
 */
final class KeyRepair {

    private static final Logger log = LoggerFactory.getLogger(KeyRepair.class);

    private final ConnectionRegistry connections;
    private final CopyPlanner planner;

    KeyRepair(ConnectionRegistry connections, CopyPlanner planner) {
        this.connections = connections;
        this.planner = planner;
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
            try {
                for (List<String> key : request.keys()) {
                    Object[] row = rows.get(key);
                    if (row != null) {
                        for (int c = 0; c < row.length; c++) {
                            job.to().bindValue(upsert, c + 1, row[c]);
                        }
                        upsert.executeUpdate();
                        upserted++;
                    } else {
                        bindKey(job.to(), delete, key);
                        deleted += delete.executeUpdate();
                    }
                }
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
            try (PreparedStatement select = source.prepareStatement(sql)) {
                for (List<String> key : keys) {
                    bindKey(from, select, key);
                    try (ResultSet rs = select.executeQuery()) {
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

    private static void bindKey(Dialect dialect, PreparedStatement statement, List<String> key) throws SQLException {
        if (key.contains(null)) {
            throw new IllegalArgumentException("a key to repair has a null value: " + key);
        }
        for (int i = 0; i < key.size(); i++) {
            dialect.bindKey(statement, i + 1, key.get(i));
        }
    }
}
