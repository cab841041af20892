package org.runbooks.backfill;

import io.temporal.failure.ApplicationFailure;
import org.runbooks.api.CopyRange;
import org.runbooks.jdbc.Tables;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.jdbc.dialect.Dialect;
import org.runbooks.jdbc.dialect.Relation;
import org.runbooks.model.BackfillStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gets a copy ready to run, whether it runs as one activity or in slices: checks the columns on both sides, then
 * resumes the ranges the target has recorded for the copy, or plans and records new ones. Every connection it opens
 * is closed before the copy opens its own.
 */
final class CopyPlanner {

    private static final Logger log = LoggerFactory.getLogger(CopyPlanner.class);
    /** SQLState of a duplicate key, in PostgreSQL and H2 alike. */
    private static final String UNIQUE_VIOLATION = "23505";

    /** A copy ready to run: what it reads and writes, its key ranges, and where each range stands. */
    record Copy(CopyJob job, List<CopyRange> ranges, List<CopyProgress> resumed) {
    }

    private final ConnectionRegistry connections;

    CopyPlanner(ConnectionRegistry connections) {
        this.connections = connections;
    }

    /**
     * The copy named {@code copyKey}: resumed as recorded, or planned into at most {@code parallelism} key ranges
     * and recorded before its first chunk.
     */
    Copy prepare(String copyKey, BackfillStep step, int chunkRows, int parallelism, String who) throws SQLException {
        try (Connection source = connections.openForReading(step.from().connection());
             Connection target = connections.open(step.to().connection())) {
            Dialect from = connections.dialect(step.from().connection());
            Dialect to = connections.dialect(step.to().connection());
            Relation relation = relation(step);
            Map<String, Integer> sourceTypes = Tables.columnTypes(source, from, relation);
            CopyColumns columns = columns(step, sourceTypes, source, target, to);
            CopyProgressStore.ensureTables(target);
            List<CopyRange> ranges = recordedRanges(target, copyKey)
                    .orElse(List.of(CopyRange.whole(columns.sourceKey().get(0))));
            List<CopyProgress> resumed = resume(target, copyKey, ranges);
            if (resumed == null) {
                ranges = plan(source, from, relation, sourceTypes, columns, parallelism, who);
                resumed = start(target, to, copyKey, step, ranges);
            } else {
                log.info("{} resuming {} key range(s) with {} rows already copied", who, ranges.size(),
                        CopyTotals.of(resumed).rowsCopied());
            }
            return new Copy(job(step, relation, from, to, columns, chunkRows, who), ranges, resumed);
        }
    }

    /** What one slice of the copy reads and writes, its columns checked again (the schema may have moved). */
    CopyJob job(BackfillStep step, int chunkRows, String who) throws SQLException {
        try (Connection source = connections.openForReading(step.from().connection());
             Connection target = connections.open(step.to().connection())) {
            return job(step, chunkRows, who, source, target);
        }
    }

    /**
     * The same, read on connections the caller keeps for the copy itself (a slice opens two connections, not four);
     * both connections' transactions are ended before it returns.
     */
    CopyJob job(BackfillStep step, int chunkRows, String who, Connection source, Connection target)
            throws SQLException {
        Dialect from = connections.dialect(step.from().connection());
        Dialect to = connections.dialect(step.to().connection());
        Relation relation = relation(step);
        CopyColumns columns = columns(step, Tables.columnTypes(source, from, relation), source, target, to);
        return job(step, relation, from, to, columns, chunkRows, who);
    }

    /**
     * A copy's estimated total, for its progress and ETA only: a PostgreSQL table's row estimate from its statistics
     * when it has been vacuumed or analyzed and holds rows (one catalog lookup, where a {@code count(*)} of ten million rows takes a
     * second, as gh-ost estimates rather than counts by default), else the source's row count now.
     */
    long sourceRows(BackfillStep step) throws SQLException {
        Dialect from = connections.dialect(step.from().connection());
        Relation relation = relation(step);
        try (Connection source = connections.openForReading(step.from().connection())) {
            long rows = -1;
            if (relation instanceof Relation.Table table && from.rowEstimate(table).isPresent()) {
                rows = single(source, from.rowEstimate(table).get());
            }
            if (rows <= 0) {
                rows = single(source, "select count(*) from " + from.relation(relation));
            }
            source.commit();
            return rows;
        }
    }

    private static long single(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static Optional<List<CopyRange>> recordedRanges(Connection target, String copyKey) throws SQLException {
        Optional<List<CopyRange>> ranges = CopyProgressStore.loadRanges(target, copyKey);
        target.commit();
        return ranges;
    }

    private static Relation relation(BackfillStep step) {
        return step.query() == null ? Relation.table(step.from().table()) : Relation.query(step.query());
    }

    private static CopyColumns columns(BackfillStep step, Map<String, Integer> sourceTypes, Connection source,
                                       Connection target, Dialect to) throws SQLException {
        List<String> targetColumns = Tables.columns(target, to, step.to().table());
        source.commit();
        target.commit();
        return CopyColumns.resolve(step, List.copyOf(sourceTypes.keySet()), targetColumns);
    }

    private static CopyJob job(BackfillStep step, Relation relation, Dialect from, Dialect to, CopyColumns columns,
                               int chunkRows, String who) {
        return new CopyJob(who, step.from().connection(), relation, from, step.to().connection(), step.to().table(),
                to, columns, chunkRows);
    }

    /** Each range's recorded progress, or null when the copy has not started: its progress rows commit together. */
    private static List<CopyProgress> resume(Connection target, String copyKey, List<CopyRange> ranges)
            throws SQLException {
        List<CopyProgress> resumed = new ArrayList<>();
        for (CopyRange range : ranges) {
            Optional<CopyProgress> recorded = CopyProgressStore.load(target, range.progressKey(copyKey));
            if (recorded.isEmpty()) {
                target.commit();
                return null;
            }
            resumed.add(recorded.get());
        }
        target.commit();
        return resumed;
    }

    private static List<CopyRange> plan(Connection source, Dialect from, Relation relation, Map<String, Integer> types,
                                       CopyColumns columns, int parallelism, String who) throws SQLException {
        String leading = columns.sourceKey().get(0);
        KeyRanges.Split split = KeyRanges.plan(source, from, relation, leading, types.get(leading), parallelism);
        List<CopyRange> ranges = KeyRanges.between(leading, split.points());
        if (split.why() != null) {
            log.info("{} parallelism {} asked, copying in {} key range(s): {}", who, parallelism, ranges.size(),
                    split.why());
        } else if (ranges.size() > 1) {
            log.info("{} copying in {} key ranges: {}", who, ranges.size(), ranges);
        }
        return ranges;
    }

    /**
     * Records a new copy: its ranges (when split) and one progress row per range, in one transaction, so a copy is
     * either planned completely or not at all.
     */
    private static List<CopyProgress> start(Connection target, Dialect to, String copyKey, BackfillStep step,
                                            List<CopyRange> ranges) throws SQLException {
        String table = step.to().table();
        long before = Tables.count(target, to, table);
        List<CopyProgress> fresh = new ArrayList<>();
        try {
            if (ranges.size() > 1) {
                CopyProgressStore.saveRanges(target, copyKey, ranges);
            }
            for (CopyRange range : ranges) {
                fresh.add(CopyProgressStore.start(target, range.progressKey(copyKey), table, before));
            }
            target.commit();
        } catch (SQLException e) {
            target.rollback();
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw ApplicationFailure.newFailure("another attempt of " + copyKey + " recorded"
                        + " the copy first; a retry resumes it", CopyProgressStore.CONCURRENT_COPY);
            }
            throw e;
        }
        return fresh;
    }
}
