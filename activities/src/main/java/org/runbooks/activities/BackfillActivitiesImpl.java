package org.runbooks.activities;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import org.runbooks.activity.BackfillActivities;
import org.runbooks.activity.BackfillCheckpoint;
import org.runbooks.activity.BackfillRequest;
import org.runbooks.activity.BackfillResult;
import org.runbooks.activity.RemoveCopiedRows;
import org.runbooks.connect.ConnectionRegistry;
import org.runbooks.dialect.Dialect;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keyset-chunked copy with upserts. Each chunk, its progress row and its audit row commit together on the target,
 * so a kill at any point leaves either the whole chunk and its checkpoint, or neither.
 */
public class BackfillActivitiesImpl implements BackfillActivities {

    private static final Logger log = LoggerFactory.getLogger(BackfillActivitiesImpl.class);

    private final ConnectionRegistry connections;

    public BackfillActivitiesImpl(ConnectionRegistry connections) {
        this.connections = connections;
    }

    @Override
    public BackfillResult copyTable(BackfillRequest request) {
        BackfillStep step = request.step();
        ActivityExecutionContext context = Activity.getExecutionContext();
        try (Connection source = connections.open(step.from().connection());
             Connection target = connections.open(step.to().connection())) {
            Dialect from = connections.dialect(step.from().connection());
            Dialect to = connections.dialect(step.to().connection());
            List<String> columns = commonColumns(source, from, target, to, step);
            CopyProgressStore.ensureTables(target);
            CopyProgress progress = resume(target, to, request);
            int chunkRows = request.effectiveChunkRows();
            String select = from.keysetChunk(step.from().table(), columns, step.key(), true, chunkRows);
            String selectFirst = from.keysetChunk(step.from().table(), columns, step.key(), false, chunkRows);
            RateLimit rate = new RateLimit(request.rowsPerSecond());
            String upsert = to.upsert(step.to().table(), columns, step.key());
            int[] keyIndex = step.key().stream().mapToInt(columns::indexOf).toArray();
            while (true) {
                List<Object[]> rows = readChunk(source, from, progress.lastKey() == null ? selectFirst : select,
                        progress.lastKey(), columns.size());
                source.commit();
                if (rows.isEmpty()) {
                    break;
                }
                progress = writeChunk(target, upsert, rows, keyIndex, progress);
                // A pause, a re-tune or a rollback cancels this activity; heartbeat() then throws, here, between chunks.
                context.heartbeat(checkpoint(progress));
                rate.pace(rows.size());
                log.debug("runbook={} step={} chunk {} done, {} rows so far", request.runbook(), step.id(),
                        progress.chunks(), progress.rowsCopied());
            }
            log.info("runbook={} step={} copied {} rows in {} chunks into {}", request.runbook(), step.id(),
                    progress.rowsCopied(), progress.chunks(), step.to());
            return new BackfillResult(progress.rowsCopied(), progress.chunks(), progress.targetRowsBefore(),
                    progress.firstKey(), progress.lastKey());
        } catch (Exception e) {
            throw Failures.of(e);
        }
    }

    @Override
    public String removeCopiedRows(RemoveCopiedRows request) {
        BackfillStep step = request.step();
        try (Connection target = connections.open(step.to().connection())) {
            Dialect to = connections.dialect(step.to().connection());
            CopyProgressStore.ensureTables(target);
            Optional<CopyProgress> found = CopyProgressStore.load(target, request.copyKey());
            if (found.isEmpty() || found.get().firstKey() == null) {
                return "nothing to remove: the copy wrote no chunk";
            }
            CopyProgress copy = found.get();
            if (step.onRollback() == BackfillRollback.KEEP) {
                return "kept " + copy.rowsCopied() + " copied rows in " + step.to() + ": the runbook says onRollback: keep";
            }
            if (copy.targetRowsBefore() > 0) {
                return "kept " + copy.rowsCopied() + " copied rows in " + step.to() + ": the target held "
                        + copy.targetRowsBefore() + " rows before the copy, so a delete could remove rows it did not write";
            }
            int deleted;
            try (PreparedStatement ps = target.prepareStatement(to.deleteKeyRange(step.to().table(), step.key()))) {
                int i = 1;
                for (String value : copy.firstKey()) {
                    to.bindKey(ps, i++, value);
                }
                for (String value : copy.lastKey()) {
                    to.bindKey(ps, i++, value);
                }
                deleted = ps.executeUpdate();
            }
            CopyProgressStore.markRolledBack(target, request.copyKey());
            target.commit();
            log.info("step={} removed {} copied rows from {}", step.id(), deleted, step.to());
            return "deleted " + deleted + " rows from " + step.to() + " (keys " + copy.firstKey() + " to "
                    + copy.lastKey() + ")";
        } catch (Exception e) {
            throw Failures.of(e);
        }
    }

    /** The progress recorded on the target wins: it commits with the data, so it is never behind it. */
    private CopyProgress resume(Connection target, Dialect to, BackfillRequest request) throws SQLException {
        Optional<CopyProgress> recorded = CopyProgressStore.load(target, request.idempotencyKey());
        if (recorded.isPresent()) {
            log.info("runbook={} step={} resuming after key {} ({} rows already copied)", request.runbook(),
                    request.step().id(), recorded.get().lastKey(), recorded.get().rowsCopied());
            return recorded.get();
        }
        long before = Tables.count(target, to, request.step().to().table());
        CopyProgress fresh = CopyProgressStore.start(target, request.idempotencyKey(), request.step().to().table(), before);
        target.commit();
        return fresh;
    }

    private static List<String> commonColumns(Connection source, Dialect from, Connection target, Dialect to,
                                              BackfillStep step) throws SQLException {
        List<String> sourceColumns = Tables.columns(source, from, step.from().table());
        List<String> targetColumns = Tables.columns(target, to, step.to().table());
        source.commit();
        target.commit();
        List<String> missing = sourceColumns.stream().filter(c -> !targetColumns.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw Failures.schemaMismatch("target " + step.to() + " lacks columns " + missing + " that source "
                    + step.from() + " has");
        }
        List<String> missingKey = step.key().stream().filter(k -> !sourceColumns.contains(k)).toList();
        if (!missingKey.isEmpty()) {
            throw Failures.schemaMismatch("key columns " + missingKey + " are not columns of " + step.from());
        }
        return sourceColumns;
    }

    private static List<Object[]> readChunk(Connection source, Dialect from, String sql, List<String> after,
                                            int width) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement ps = source.prepareStatement(sql)) {
            if (after != null) {
                for (int i = 0; i < after.size(); i++) {
                    from.bindKey(ps, i + 1, after.get(i));
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object[] row = new Object[width];
                    for (int i = 0; i < width; i++) {
                        row[i] = rs.getObject(i + 1);
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    private static CopyProgress writeChunk(Connection target, String upsert, List<Object[]> rows, int[] keyIndex,
                                           CopyProgress progress) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement(upsert)) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    ps.setObject(i + 1, row[i]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
            CopyProgress after = CopyProgressStore.chunkWritten(target, progress, key(rows.get(0), keyIndex),
                    key(rows.get(rows.size() - 1), keyIndex), rows.size());
            target.commit();
            return after;
        } catch (SQLException e) {
            target.rollback();
            throw e;
        }
    }

    private static List<String> key(Object[] row, int[] keyIndex) {
        List<String> key = new ArrayList<>(keyIndex.length);
        for (int index : keyIndex) {
            key.add(String.valueOf(row[index]));
        }
        return key;
    }

    private static BackfillCheckpoint checkpoint(CopyProgress p) {
        return new BackfillCheckpoint(p.lastKey(), p.firstKey(), p.rowsCopied(), p.chunks(), p.targetRowsBefore());
    }
}
