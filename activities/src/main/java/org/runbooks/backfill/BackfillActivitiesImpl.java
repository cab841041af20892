package org.runbooks.backfill;

import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import org.runbooks.backfill.BackfillActivities;
import org.runbooks.backfill.BackfillRequest;
import org.runbooks.backfill.BackfillResult;
import org.runbooks.backfill.CopyPlan;
import org.runbooks.backfill.CopyPlanRequest;
import org.runbooks.backfill.KeyRepairRequest;
import org.runbooks.api.KeyRepairResult;
import org.runbooks.api.RemoveCopiedRows;
import org.runbooks.backfill.SliceRequest;
import org.runbooks.backfill.SliceResult;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.backfill.BackfillMetrics;
import org.runbooks.backfill.CopyMeters;
import org.runbooks.api.CopyRange;
import org.runbooks.api.KeyRepairResult;
import org.runbooks.api.RemoveCopiedRows;
import org.runbooks.jdbc.Failures;
import org.runbooks.jdbc.KeepAlive;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * Keyset-chunked copy with upserts, from a table or a read-only query, optionally renaming columns and split into
 * key ranges. A phase plans the copy ({@link CopyPlanner}) and then drives it one bounded slice of one range at a
 * time ({@link CopySliceActivity}); the older single activity copies every range at once ({@link ParallelCopy}). Both keep
 * the same bookkeeping on the target ({@link CopyProgressStore}), so either resumes what the other recorded.
 */
public class BackfillActivitiesImpl implements BackfillActivities {

    private static final Logger log = LoggerFactory.getLogger(BackfillActivitiesImpl.class);

    private final ConnectionRegistry connections;
    private final CopyPlanner planner;
    private final BackfillMetrics metrics;
    private final ProbeEndpoints endpoints;

    public BackfillActivitiesImpl(ConnectionRegistry connections) {
        this(connections, BackfillMetrics.none(), ProbeEndpoints.NONE);
    }

    /** Records rows, chunk latency, throughput and throttle time of every copy in {@code meters}. */
    public BackfillActivitiesImpl(ConnectionRegistry connections, MeterRegistry meters) {
        this(connections, new BackfillMetrics(meters), ProbeEndpoints.NONE);
    }

    /** With {@code endpoints}, the worker's webhooks that a throttle probe may name. */
    public BackfillActivitiesImpl(ConnectionRegistry connections, MeterRegistry meters, ProbeEndpoints endpoints) {
        this(connections, new BackfillMetrics(meters), endpoints);
    }

    private BackfillActivitiesImpl(ConnectionRegistry connections, BackfillMetrics metrics,
                                   ProbeEndpoints endpoints) {
        this.endpoints = endpoints;
        this.connections = connections;
        this.planner = new CopyPlanner(connections);
        this.metrics = metrics;
    }

    @Override
    public BackfillResult copyTable(BackfillRequest request) {
        String who = "runbook=" + request.runbook() + " step=" + request.step().id();
        ActivityExecutionContext context = Activity.getExecutionContext();
        try {
            CopyPlanner.Copy copy = planner.prepare(request.idempotencyKey(), request.step(),
                    request.effectiveChunkRows(), request.step().parallelism(), who);
            CopyControl control = new CopyControl(context, new RateLimit(request.rowsPerSecond()), copy.ranges(),
                    copy.resumed(), metrics.copy(request.runbook(), request.step().id(), request.step().to().table()));
            CopyTotals totals;
            try (KeepAlive alive = control.keepAlive()) {
                totals = CopyTotals.of(ParallelCopy.run(connections, copy.job(), copy.ranges(), copy.resumed(),
                        control));
            }
            log.info("{} copied {} rows in {} chunks over {} key range(s) into {}", who, totals.rowsCopied(),
                    totals.chunks(), copy.ranges().size(), request.step().to());
            return totals.result(copy.ranges().size());
        } catch (Exception e) {
            throw Failures.of(e);
        }
    }

    @Override
    public CopyPlan planCopy(CopyPlanRequest request) {
        String who = "runbook=" + request.runbook() + " step=" + request.step().id();
        try {
            CopyPlanner.Copy copy = planner.prepare(request.idempotencyKey(), request.step(),
                    request.step().chunkRows(), Math.max(1, request.ranges()), who);
            long estimate = planner.sourceRows(request.step());
            log.info("{} planned {} key range(s) over ~{} source rows", who, copy.ranges().size(), estimate);
            return CopySliceActivity.plan(copy, estimate);
        } catch (Exception e) {
            throw Failures.of(e);
        }
    }

    @Override
    public SliceResult copySlice(SliceRequest request) {
        try {
            CopyMeters meters = metrics.copy(request.runbook(), request.step().id(), request.step().to().table());
            return new CopySliceActivity(connections, endpoints, planner, request, meters)
                    .run(Activity.getExecutionContext());
        } catch (Exception e) {
            throw Failures.of(e);
        }
    }

    @Override
    public KeyRepairResult repairKeys(KeyRepairRequest request) {
        // Heartbeats while the keys are read and written, for the repair's heartbeat timeout (StepOptions.repair),
        // and hears of a rollback's cancel there: the repair's statement is cancelled and nothing is committed.
        KeepAlive alive = KeepAlive.start(Activity.getExecutionContext());
        try (alive) {
            return new KeyRepair(connections, planner, alive).run(request);
        } catch (Exception e) {
            throw Failures.of(alive.cancellationOr(e));
        }
    }

    @Override
    public String removeCopiedRows(RemoveCopiedRows request) {
        BackfillStep step = request.step();
        String who = "copy=" + request.copyKey() + " step=" + step.id() + " rollback";
        // A compensation: its batches heartbeat through the keep-alive, for the compensation's heartbeat timeout.
        try (KeepAlive alive = KeepAlive.start(Activity.getExecutionContext());
             Connection target = connections.open(step.to().connection())) {
            CopyProgressStore.ensureTables(target);
            List<CopyRange> ranges = CopyPlanner.recordedRanges(target, request.copyKey())
                    .orElseGet(() -> List.of(CopyRange.whole(step.key().get(0))));
            // The fence first: once it commits, no attempt of the copy commits another chunk, so what is read
            // next is everything the copy will ever have written.
            for (CopyRange range : ranges) {
                CopyProgressStore.markRolledBack(target, range.progressKey(request.copyKey()));
            }
            target.commit();
            List<CopyProgress> written = new ArrayList<>();
            for (CopyRange range : ranges) {
                CopyProgressStore.load(target, range.progressKey(request.copyKey()))
                        .filter(p -> p.firstKey() != null).ifPresent(written::add);
            }
            target.commit();
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
            try (Connection source = connections.openForReading(step.from().connection())) {
                CopyJob job = planner.job(step, 1, who, source, target);
                for (int i = 0; i < written.size(); i++) {
                    written.set(i, LegacyInstantKeys.spanning(job, source, written.get(i)));
                }
                return new CopiedRowRemoval(job, step.to().toString()).run(source, target, written);
            }
        } catch (Exception e) {
            throw Failures.of(e);
        }
    }
}
