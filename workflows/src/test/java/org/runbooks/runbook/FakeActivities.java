package org.runbooks.runbook;

import io.temporal.failure.ApplicationFailure;
import org.runbooks.api.ActivityTrouble;
import org.runbooks.api.CopyRange;
import org.runbooks.api.FlagRestore;
import org.runbooks.api.KeyRepairResult;
import org.runbooks.api.LoadedRunbook;
import org.runbooks.api.PhaseWorkflow;
import org.runbooks.api.RangeCursor;
import org.runbooks.api.RemoveCopiedRows;
import org.runbooks.api.ReportFiles;
import org.runbooks.api.SqlRun;
import org.runbooks.api.ValidationReport;
import org.runbooks.backfill.BackfillActivities;
import org.runbooks.backfill.BackfillRequest;
import org.runbooks.backfill.BackfillResult;
import org.runbooks.backfill.CopyPlan;
import org.runbooks.backfill.CopyPlanRequest;
import org.runbooks.backfill.KeyRepairRequest;
import org.runbooks.backfill.SliceRequest;
import org.runbooks.backfill.SliceResult;
import org.runbooks.flag.FlagActivities;
import org.runbooks.flag.FlagChange;
import org.runbooks.flag.FlagValue;
import org.runbooks.load.RunbookLoadActivities;
import org.runbooks.model.ValidateStep;
import org.runbooks.notify.Notification;
import org.runbooks.notify.NotifyActivities;
import org.runbooks.parse.RunbookParser;
import org.runbooks.report.MigrationReport;
import org.runbooks.report.ReportActivities;
import org.runbooks.sql.SqlActivities;
import org.runbooks.validate.ValidationActivities;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stand-ins for every activity that record each call, in order, as "method:step-or-flag". The point of these tests
 * is the workflow's ordering and decisions, so the activities only remember what they were asked.
 */
final class FakeActivities implements RunbookLoadActivities, BackfillActivities, ValidationActivities,
        FlagActivities, SqlActivities, NotifyActivities, ReportActivities {

    final List<String> calls = new CopyOnWriteArrayList<>();
    private final String runbookText;
    volatile boolean validationPasses = true;
    /** When at least 0, validations pass this many more times and then fail. */
    volatile int comparesBeforeFailure = -1;
    volatile boolean webhookDown;
    final List<Notification> notifications = new CopyOnWriteArrayList<>();
    /** Reports the runbook asked to write; kept apart from {@link #calls}, whose order the tests pin. */
    final List<MigrationReport> reports = new CopyOnWriteArrayList<>();
    volatile String failingFlag;
    /** While true, copyTable keeps heartbeating (as a long copy does) until it is cancelled or this turns false. */
    volatile boolean holdCopies;
    final List<BackfillRequest> copyRequests = new CopyOnWriteArrayList<>();
    final java.util.concurrent.atomic.AtomicInteger copiesCancelled = new java.util.concurrent.atomic.AtomicInteger();

    /** Rows in every copy's source; planCopy spreads them evenly over the ranges it is asked for. */
    volatile long sourceRows = 1000;
    /** Most chunks a slice writes, standing in for its time budget (0: only the request's maxChunks bounds it). */
    volatile int chunksPerSlice;
    /** Real time each slice takes, so that a copy lasts long enough to be steered (0: none). */
    volatile long sliceMillis;
    /** While true, copySlice heartbeats before it writes, until this turns false or it is cancelled. */
    volatile boolean holdSlices;
    /** Every slice as it started: its request, how many slices ran at that moment (itself included), the run. */
    final List<SliceCall> slices = new CopyOnWriteArrayList<>();
    /** Slices whose cursor differed from the range's recorded progress (a lost or stale cursor). */
    final List<String> cursorMismatches = new CopyOnWriteArrayList<>();
    final AtomicInteger slicesCancelled = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** The fake target's progress table: one cursor per copy key and range number. */
    private final Map<String, RangeCursor> progress = new ConcurrentHashMap<>();
    private final Map<String, CopyPlan> plans = new ConcurrentHashMap<>();

    /** Reports compare returns first, in order, before it falls back to {@link #validationPasses}. */
    final java.util.Queue<ValidationReport> scriptedReports = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Throttle readings copySlice hands back, one per slice, in order (none left: no reading). */
    final java.util.Queue<org.runbooks.api.ThrottleReading> throttleReadings =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    /**
     * Attempts of runSql that fail as if its database were unreachable, each telling its phase first, as the worker's
     * trouble reports do; the attempt after them waits while {@link #holdRecovery} is true, then succeeds.
     */
    volatile int unreachableSqlAttempts;
    volatile boolean holdRecovery;
    /** Every trouble runSql reported, in order. */
    final List<ActivityTrouble> troubles = new CopyOnWriteArrayList<>();
    /** Every repairKeys call, in order. */
    final List<KeyRepairRequest> repairs = new CopyOnWriteArrayList<>();

    /** One copySlice call as it began. */
    record SliceCall(SliceRequest request, int running, String runId) {
    }

    /** The approvers' keys the load returns, as a worker's allowed-signers file would give them. */
    volatile org.runbooks.api.ApprovalKeys approvals = org.runbooks.api.ApprovalKeys.NONE;

    FakeActivities(String runbookText) {
        this.runbookText = runbookText;
    }

    @Override
    public LoadedRunbook loadRunbook(String file) {
        calls.add("loadRunbook:" + file);
        return new LoadedRunbook(file, "sha", new RunbookParser(Set.of("legacy", "target"), Set.of("ops-channel"))
                .parse(runbookText, file), approvals);
    }

    @Override
    public BackfillResult copyTable(BackfillRequest request) {
        calls.add("copyTable:" + request.step().id());
        copyRequests.add(request);
        while (holdCopies) {
            try {
                io.temporal.activity.Activity.getExecutionContext().heartbeat(copyRequests.size());
                Thread.sleep(20);
            } catch (io.temporal.client.ActivityCompletionException e) {
                copiesCancelled.incrementAndGet();
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return new BackfillResult(1000, 10, 0, List.of("1"), List.of("1000"));
    }

    @Override
    public CopyPlan planCopy(CopyPlanRequest request) {
        calls.add("planCopy:" + request.step().id());
        return plans.computeIfAbsent(request.idempotencyKey(), key -> {
            int of = request.ranges();
            List<CopyRange> ranges = new ArrayList<>();
            long width = sourceRows / of;
            for (int i = 0; i < of; i++) {
                ranges.add(new CopyRange(i + 1, of, "id", i == 0 ? null : i * width + 1,
                        i == of - 1 ? null : (i + 1) * width + 1));
                progress.put(key + "#" + (i + 1), new RangeCursor(null, 0, 0, false));
            }
            return new CopyPlan(ranges, List.copyOf(java.util.Collections.nCopies(of, new RangeCursor(null, 0, 0,
                    false))), sourceRows, 0);
        });
    }

    /**
     * Writes from the range's recorded progress, as the real slice does, up to the chunk bound; records a mismatch
     * when the workflow's cursor is not what the range has recorded.
     */
    @Override
    public SliceResult copySlice(SliceRequest request) {
        int running = inFlight.incrementAndGet();
        try {
            slices.add(new SliceCall(request, running,
                    io.temporal.activity.Activity.getExecutionContext().getInfo().getRunId()));
            holdWhile(() -> holdSlices, slicesCancelled);
            if (sliceMillis > 0) {
                try {
                    Thread.sleep(sliceMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            CopyRange range = request.range();
            String key = request.idempotencyKey() + "#" + range.number();
            RangeCursor recorded = progress.get(key);
            if (recorded.rowsCopied() != request.cursor().rowsCopied() || recorded.chunks() != request.cursor().chunks()) {
                cursorMismatches.add(range.label() + ": recorded " + recorded + ", given " + request.cursor());
            }
            long rows = range.number() < range.of() ? sourceRows / range.of()
                    : sourceRows - (range.of() - 1) * (sourceRows / range.of());
            long left = rows - recorded.rowsCopied();
            int maxChunks = chunksPerSlice > 0 ? Math.min(chunksPerSlice, request.maxChunks()) : request.maxChunks();
            long chunks = Math.min(maxChunks, (left + request.chunkRows() - 1) / request.chunkRows());
            long written = Math.min(left, chunks * request.chunkRows());
            RangeCursor after = new RangeCursor(List.of(String.valueOf(recorded.rowsCopied() + written)),
                    recorded.rowsCopied() + written, recorded.chunks() + chunks, written == left);
            progress.put(key, after);
            return new SliceResult(after, written, chunks, 0, throttleReadings.poll());
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static void holdWhile(java.util.function.BooleanSupplier hold, AtomicInteger cancelled) {
        while (hold.getAsBoolean()) {
            try {
                io.temporal.activity.Activity.getExecutionContext().heartbeat("held");
                Thread.sleep(20);
            } catch (io.temporal.client.ActivityCompletionException e) {
                cancelled.incrementAndGet();
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public String removeCopiedRows(RemoveCopiedRows request) {
        calls.add("removeCopiedRows:" + request.step().id());
        return "deleted 1000 rows";
    }

    /** Upserts every key it is given, as if the source had them all. */
    @Override
    public KeyRepairResult repairKeys(KeyRepairRequest request) {
        calls.add("repairKeys:" + request.step().id());
        repairs.add(request);
        return new KeyRepairResult(request.keys().size(), 0, 0);
    }

    @Override
    public ValidationReport compare(ValidateStep step) {
        calls.add("compare:" + step.id());
        ValidationReport scripted = scriptedReports.poll();
        if (scripted != null) {
            return scripted;
        }
        if (comparesBeforeFailure == 0) {
            validationPasses = false;
        } else if (comparesBeforeFailure > 0) {
            comparesBeforeFailure--;
        }
        return new ValidationReport(step.id(), 1000, validationPasses ? 1000 : 999, "a", validationPasses ? "a" : "b",
                validationPasses, validationPasses ? "row counts agree" : "row counts differ (source 1000, target 999)");
    }

    @Override
    public FlagValue setFlag(FlagChange change) {
        calls.add("setFlag:" + change.name() + "=" + change.percent());
        if (change.name().equals(failingFlag)) {
            throw ApplicationFailure.newFailure("flags table is locked", "DatabaseUnavailable");
        }
        return FlagValue.absent();
    }

    @Override
    public String restoreFlag(FlagRestore restore) {
        calls.add("restoreFlag:" + restore.name());
        return "removed flag " + restore.name();
    }

    @Override
    public String notify(Notification notification) {
        calls.add("notify:" + notification.step());
        if (webhookDown) {
            throw ApplicationFailure.newFailure("connection refused", "WebhookUnavailable");
        }
        notifications.add(notification);
        return "HTTP 204";
    }

    @Override
    public String runSql(SqlRun run) {
        io.temporal.activity.ActivityExecutionContext context = io.temporal.activity.Activity.getExecutionContext();
        int attempt = context.getInfo().getAttempt();
        if (attempt <= unreachableSqlAttempts) {
            ActivityTrouble trouble = new ActivityTrouble(context.getInfo().getActivityType(), attempt,
                    "connection 'target' is unreachable: Connection refused. [SQLState 08001]",
                    java.time.Instant.now().toString());
            troubles.add(trouble);
            context.getWorkflowClient().newWorkflowStub(PhaseWorkflow.class, context.getInfo().getWorkflowId(),
                    java.util.Optional.of(context.getInfo().getRunId())).activityTrouble(trouble);
            throw ApplicationFailure.newFailure(trouble.error(), "DatabaseUnavailable");
        }
        holdWhile(() -> holdRecovery, new AtomicInteger());
        calls.add("runSql:" + run.idempotencyKey().substring(run.idempotencyKey().indexOf('/', run.idempotencyKey()
                .indexOf('/') + 1) + 1));
        return "ran";
    }

    @Override
    public ReportFiles writeReport(MigrationReport report) {
        reports.add(report);
        return new ReportFiles("reports/" + report.workflowId() + ".md", "reports/" + report.workflowId() + ".json");
    }
}
