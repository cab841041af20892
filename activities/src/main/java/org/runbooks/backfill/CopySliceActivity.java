package org.runbooks.backfill;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import org.runbooks.api.CopyRange;
import org.runbooks.api.RangeCursor;
import org.runbooks.jdbc.KeepAlive;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.model.BackfillStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One slice of a planned copy: one key range, from where the target's progress row says it stopped, for a bounded
 * number of chunks or time ({@link CopyControl#forSlice}), through the same {@link RangeCopier} as a whole copy.
 * The progress row, not the workflow's cursor, is where the slice starts: a slice cancelled after it committed a
 * chunk never told the workflow, and its chunk must not be written again.
 */
final class CopySliceActivity {

    private static final Logger log = LoggerFactory.getLogger(CopySliceActivity.class);

    /** Non-retryable: the target's bookkeeping is behind the workflow's cursor, so it was reset or lost. */
    static final String PROGRESS_LOST = "CopyProgressLost";

    private final ConnectionRegistry connections;
    private final CopyPlanner planner;
    private final SliceRequest request;
    private final CopyRange range;
    private final String who;
    private final CopyMeters meters;
    private final ProbeEndpoints endpoints;

    CopySliceActivity(ConnectionRegistry connections, ProbeEndpoints endpoints, CopyPlanner planner,
                      SliceRequest request, CopyMeters meters) {
        this.connections = connections;
        this.endpoints = endpoints;
        this.meters = meters;
        this.planner = planner;
        this.request = request;
        CopyRange r = request.range();
        this.range = r;
        this.who = "runbook=" + request.runbook() + " step=" + request.step().id() + " " + r.label();
    }

    /** The plan as the workflow gets it: every range with its recorded cursor. */
    static CopyPlan plan(CopyPlanner.Copy copy, long estimatedRows) {
        List<CopyRange> ranges = new ArrayList<>();
        List<RangeCursor> cursors = new ArrayList<>();
        for (int i = 0; i < copy.ranges().size(); i++) {
            CopyRange r = copy.ranges().get(i);
            CopyProgress p = copy.resumed().get(i);
            ranges.add(r);
            cursors.add(new RangeCursor(p.lastKey(), p.rowsCopied(), p.chunks(), false));
        }
        return new CopyPlan(ranges, cursors, estimatedRows, copy.resumed().get(0).targetRowsBefore());
    }

    /**
     * Runs the slice on two connections, one to each side, opened once for its schema check, its recorded progress
     * and its chunks: every connection opened costs a slice its share of the time it has.
     */
    SliceResult run(ActivityExecutionContext context) throws Exception {
        BackfillStep step = request.step();
        try (Connection source = connections.openForReading(step.from().connection());
             Connection target = connections.open(step.to().connection())) {
            CopyJob job = planner.job(step, request.chunkRows(), who, source, target);
            CopyProgress start = recorded(target);
            CopyControl control = CopyControl.forSlice(context, new RateLimit(request.rowsPerSecond()), range, start,
                    request.maxChunks(), request.budgetMillis(), meters)
                    .reportingTo(new SliceProgressReports(context, request.idempotencyKey(), range.number())::committed);
            Throttle throttle = throttle(step);
            CopyProgress end;
            RangeCopier copier = new RangeCopier(connections, job, range, start, control.throttledBy(throttle));
            try (KeepAlive alive = control.keepAlive()) {
                end = copier.copy(source, target);
            } finally {
                if (throttle != null) {
                    throttle.close();
                }
            }
            control.throwIfStopped();
            boolean done = copier.exhausted() || !control.budgetSpent();
            log.info("{} slice wrote {} rows in {} chunks; range {} with {} rows", who,
                    end.rowsCopied() - start.rowsCopied(), end.chunks() - start.chunks(), done ? "done" : "continues",
                    end.rowsCopied());
            return new SliceResult(new RangeCursor(end.lastKey(), end.rowsCopied(), end.chunks(), done),
                    end.rowsCopied() - start.rowsCopied(), end.chunks() - start.chunks(), control.owedMillis(),
                    throttle == null ? null : throttle.reading());
        }
    }

    /** The step's throttle, starting at the chunk size an earlier slice left it at; null when it has none. */
    private Throttle throttle(BackfillStep step) {
        if (step.throttle() == null) {
            return null;
        }
        int start = request.throttledChunkRows() == null ? request.chunkRows() : request.throttledChunkRows();
        return new Throttle(ThrottleProbe.of(connections, endpoints, step.throttle()), step.throttle().max(),
                request.chunkRows(), start, who);
    }

    /** The range's progress row on the slice's target connection, checked against the workflow's cursor. */
    private CopyProgress recorded(Connection target) throws SQLException {
        String progressKey = range.progressKey(request.idempotencyKey());
        CopyProgress progress = CopyProgressStore.load(target, progressKey).orElseThrow(() ->
                ApplicationFailure.newNonRetryableFailure("no progress is recorded for " + progressKey
                        + " on " + request.step().to() + ": the copy must be planned (planCopy) first",
                        PROGRESS_LOST));
        target.commit();
        CopyProgressStore.refuseRolledBack(progress);
        RangeCursor cursor = request.cursor();
        if (cursor != null && progress.chunks() < cursor.chunks()) {
            throw ApplicationFailure.newNonRetryableFailure("the progress of " + progressKey + " on "
                    + request.step().to() + " records " + progress.chunks() + " chunks, fewer than the "
                    + cursor.chunks() + " the workflow saw committed: the bookkeeping was reset", PROGRESS_LOST);
        }
        if (cursor != null && progress.chunks() > cursor.chunks()) {
            log.info("{} resumes at chunk {} as recorded, past the workflow's cursor at chunk {} (an earlier"
                    + " slice committed more before it stopped)", who, progress.chunks(), cursor.chunks());
        }
        return progress;
    }
}
