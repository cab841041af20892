package org.runbooks.activities;

import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import org.runbooks.activity.BackfillActivities;
import org.runbooks.activity.BackfillRequest;
import org.runbooks.activity.BackfillResult;
import org.runbooks.activity.RemoveCopiedRows;
import org.runbooks.connect.ConnectionRegistry;
import org.runbooks.dialect.Dialect;
import org.runbooks.dialect.Relation;
import org.runbooks.metrics.BackfillMetrics;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Keyset-chunked copy with upserts, from a table or a read-only query, optionally renaming columns and split into
 * key ranges copied at once. The flow: check the columns, resume the recorded ranges (or plan them), copy every
 * range ({@link ParallelCopy}), and return the totals. Bookkeeping lives on the target ({@link CopyProgressStore}).
 */
public class BackfillActivitiesImpl implements BackfillActivities {

    private static final Logger log = LoggerFactory.getLogger(BackfillActivitiesImpl.class);
    /** SQLState of a duplicate key, in PostgreSQL and H2 alike. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final ConnectionRegistry connections;
    private final BackfillMetrics metrics;

    public BackfillActivitiesImpl(ConnectionRegistry connections) {
        this(connections, BackfillMetrics.none());
    }

    /** Records rows, chunk latency, throughput and throttle time of every copy in {@code meters}. */
    public BackfillActivitiesImpl(ConnectionRegistry connections, MeterRegistry meters) {
        this(connections, new BackfillMetrics(meters));
    }

    private BackfillActivitiesImpl(ConnectionRegistry connections, BackfillMetrics metrics) {
        this.connections = connections;
        this.metrics = metrics;
    }

    @Override
    public BackfillResult copyTable(BackfillRequest request) {
        String who = "runbook=" + request.runbook() + " step=" + request.step().id();
        ActivityExecutionContext context = Activity.getExecutionContext();
        try {
            Copy copy = prepare(request, who);
            CopyControl control = new CopyControl(context, new RateLimit(request.rowsPerSecond()), copy.ranges(),
                    copy.resumed(), metrics.copy(request.runbook(), request.step().id(), request.step().to().table()));
            CopyTotals totals = CopyTotals.of(ParallelCopy.run(connections, copy.job(), copy.ranges(),
                    copy.resumed(), control));
            log.info("{} copied {} rows in {} chunks over {} key range(s) into {}", who, totals.rowsCopied(),
                    totals.chunks(), copy.ranges().size(), request.step().to());
            return totals.result(copy.ranges().size());
        } catch (Exception e) {
            throw Failures.of(e);
        }
    }

    /** A copy ready to run: what it reads and writes, its key ranges, and where each range stands. */
    private record Copy(CopyJob job, List<KeyRange> ranges, List<CopyProgress> resumed) {
    }

    /**
     * Checks the columns on both sides, then resumes the ranges the target has recorded for this copy, or plans and
     * records new ones. The connections it reads with are closed before the ranges open their own.
     */
    private Copy prepare(BackfillRequest request, String who) throws SQLException {
        BackfillStep step = request.step();
        try (Connection source = connections.open(step.from().connection());
             Connection target = connections.open(step.to().connection())) {
            source.setReadOnly(true);
            Dialect from = connections.dialect(step.from().connection());
            Dialect to = connections.dialect(step.to().connection());
            Relation relation = step.query() == null ? Relation.table(step.from().table()) : Relation.query(step.query());
            Map<String, Integer> sourceTypes = Tables.columnTypes(source, from, relation);
            List<String> targetColumns = Tables.columns(target, to, step.to().table());
            source.commit();
            target.commit();
            CopyColumns columns = CopyColumns.resolve(step, List.copyOf(sourceTypes.keySet()), targetColumns);
            CopyProgressStore.ensureTables(target);
            List<KeyRange> ranges = recordedRanges(target, request.idempotencyKey())
                    .orElse(List.of(KeyRange.whole(columns.sourceKey().get(0))));
            List<CopyProgress> resumed = resume(target, request.idempotencyKey(), ranges);
            if (resumed == null) {
                ranges = plan(source, from, relation, sourceTypes, columns, step, who);
                resumed = start(target, to, request, ranges);
            } else {
                log.info("{} resuming {} key range(s) with {} rows already copied", who, ranges.size(),
                        CopyTotals.of(resumed).rowsCopied());
            }
            CopyJob job = new CopyJob(who, step.from().connection(), relation, from, step.to().connection(),
                    step.to().table(), to, columns, request.effectiveChunkRows());
            return new Copy(job, ranges, resumed);
        }
    }

    @Override
    public String removeCopiedRows(RemoveCopiedRows request) {
        BackfillStep step = request.step();
        try (Connection target = connections.open(step.to().connection())) {
            Dialect to = connections.dialect(step.to().connection());
            CopyProgressStore.ensureTables(target);
            List<KeyRange> ranges = recordedRanges(target, request.copyKey())
                    .orElseGet(() -> List.of(KeyRange.whole(step.key().get(0))));
            List<CopyProgress> written = new ArrayList<>();
            for (KeyRange range : ranges) {
                CopyProgressStore.load(target, range.progressKey(request.copyKey()))
                        .filter(p -> p.firstKey() != null).ifPresent(written::add);
            }
            if (written.isEmpty()) {
                return "nothing to remove: the copy wrote no chunk";
            }
            CopyTotals copied = CopyTotals.of(written);
            if (step.onRollback() == BackfillRollback.KEEP) {
                return "kept " + copied.rowsCopied() + " copied rows in " + step.to()
                        + ": the runbook says onRollback: keep";
            }
            if (copied.targetRowsBefore() > 0) {
                return "kept " + copied.rowsCopied() + " copied rows in " + step.to() + ": the target held "
                        + copied.targetRowsBefore() + " rows before the copy, so a delete could remove rows it did not write";
            }
            List<String> targetKey = step.key().stream().map(step::targetColumn).toList();
            int deleted = 0;
            try (PreparedStatement ps = target.prepareStatement(to.deleteKeyRange(step.to().table(), targetKey))) {
                for (CopyProgress range : written) {
                    int i = 1;
                    for (String value : range.firstKey()) {
                        to.bindKey(ps, i++, value);
                    }
                    for (String value : range.lastKey()) {
                        to.bindKey(ps, i++, value);
                    }
                    deleted += ps.executeUpdate();
                    CopyProgressStore.markRolledBack(target, range.copyKey());
                }
            }
            target.commit();
            String keys = written.stream().map(p -> p.firstKey() + " to " + p.lastKey()).collect(Collectors.joining(", "));
            log.info("step={} removed {} copied rows from {} (keys {})", step.id(), deleted, step.to(), keys);
            return "deleted " + deleted + " rows from " + step.to() + " (keys " + keys + ")";
        } catch (Exception e) {
            throw Failures.of(e);
        }
    }

    private static Optional<List<KeyRange>> recordedRanges(Connection target, String copyKey) throws SQLException {
        Optional<List<KeyRange>> ranges = CopyProgressStore.loadRanges(target, copyKey);
        target.commit();
        return ranges;
    }

    /** Each range's recorded progress, or null when the copy has not started: its progress rows commit together. */
    private static List<CopyProgress> resume(Connection target, String copyKey, List<KeyRange> ranges)
            throws SQLException {
        List<CopyProgress> resumed = new ArrayList<>();
        for (KeyRange range : ranges) {
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

    private static List<KeyRange> plan(Connection source, Dialect from, Relation relation, Map<String, Integer> types,
                                       CopyColumns columns, BackfillStep step, String who) throws SQLException {
        String leading = columns.sourceKey().get(0);
        KeyRanges.Split split = KeyRanges.plan(source, from, relation, leading, types.get(leading), step.parallelism());
        List<KeyRange> ranges = KeyRanges.between(leading, split.points());
        if (split.why() != null) {
            log.info("{} parallelism {} asked, copying in {} key range(s): {}", who, step.parallelism(), ranges.size(),
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
    private static List<CopyProgress> start(Connection target, Dialect to, BackfillRequest request,
                                            List<KeyRange> ranges) throws SQLException {
        String table = request.step().to().table();
        long before = Tables.count(target, to, table);
        List<CopyProgress> fresh = new ArrayList<>();
        try {
            if (ranges.size() > 1) {
                CopyProgressStore.saveRanges(target, request.idempotencyKey(), ranges);
            }
            for (KeyRange range : ranges) {
                fresh.add(CopyProgressStore.start(target, range.progressKey(request.idempotencyKey()), table, before));
            }
            target.commit();
        } catch (SQLException e) {
            target.rollback();
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw ApplicationFailure.newFailure("another attempt of " + request.idempotencyKey() + " recorded"
                        + " the copy first; a retry resumes it", CopyProgressStore.CONCURRENT_COPY);
            }
            throw e;
        }
        return fresh;
    }
}
