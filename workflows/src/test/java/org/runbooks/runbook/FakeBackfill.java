package org.runbooks.runbook;

import org.runbooks.api.CopyRange;
import org.runbooks.api.KeyRepairResult;
import org.runbooks.api.RangeCursor;
import org.runbooks.api.RemoveCopiedRows;
import org.runbooks.backfill.BackfillActivities;
import org.runbooks.backfill.BackfillRequest;
import org.runbooks.backfill.BackfillResult;
import org.runbooks.backfill.CopyPlan;
import org.runbooks.backfill.CopyPlanRequest;
import org.runbooks.backfill.KeyRepairRequest;
import org.runbooks.backfill.SliceRequest;
import org.runbooks.backfill.SliceResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** The backfill activities: copies, plans, slices, removals and key repairs, remembered as asked. */
final class FakeBackfill implements BackfillActivities {

    private final List<String> calls;
    /** While true, copyTable keeps heartbeating (as a long copy does) until it is cancelled or this turns false. */
    volatile boolean holdCopies;
    final List<BackfillRequest> copyRequests = new CopyOnWriteArrayList<>();
    final AtomicInteger copiesCancelled = new AtomicInteger();
    /** Rows in every copy's source; planCopy spreads them evenly over the ranges it is asked for. */
    volatile long sourceRows = 1000;
    /** Most chunks a slice writes, standing in for its time budget (0: only the request's maxChunks bounds it). */
    volatile int chunksPerSlice;
    /** Real time each slice takes, so that a copy lasts long enough to be steered (0: none). */
    volatile long sliceMillis;
    /** While true, copySlice heartbeats before it writes, until this turns false or it is cancelled. */
    volatile boolean holdSlices;
    /**
     * When true, copySlice commits its chunks one by one and reports each to its phase ({@code sliceProgress}), as
     * the real slice does, then holds, heartbeating, until {@link #holdSlicesAfterWriting} turns false.
     */
    volatile boolean reportChunks;
    volatile boolean holdSlicesAfterWriting;
    /** Every slice as it started: its request, how many slices ran at that moment (itself included), the run. */
    final List<SliceCall> slices = new CopyOnWriteArrayList<>();
    /** Slices whose cursor differed from the range's recorded progress (a lost or stale cursor). */
    final List<String> cursorMismatches = new CopyOnWriteArrayList<>();
    final AtomicInteger slicesCancelled = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** The fake target's progress table: one cursor per copy key and range number. */
    private final Map<String, RangeCursor> progress = new ConcurrentHashMap<>();
    private final Map<String, CopyPlan> plans = new ConcurrentHashMap<>();
    /** Throttle readings copySlice hands back, one per slice, in order (none left: no reading). */
    final java.util.Queue<org.runbooks.api.ThrottleReading> throttleReadings =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Every repairKeys call, in order. */
    final List<KeyRepairRequest> repairs = new CopyOnWriteArrayList<>();

    /** One copySlice call as it began. */
    record SliceCall(SliceRequest request, int running, String runId) {
    }

    FakeBackfill(List<String> calls) {
        this.calls = calls;
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
            if (reportChunks) {
                reportEachChunk(request, recorded, chunks, written);
                holdWhile(() -> holdSlicesAfterWriting, slicesCancelled);
            }
            RangeCursor after = new RangeCursor(List.of(String.valueOf(recorded.rowsCopied() + written)),
                    recorded.rowsCopied() + written, recorded.chunks() + chunks, written == left);
            progress.put(key, after);
            return new SliceResult(after, written, chunks, 0, throttleReadings.poll());
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Reports the range's totals after each of the slice's {@code chunks} chunks to the phase that runs it. */
    private static void reportEachChunk(SliceRequest request, RangeCursor from, long chunks, long written) {
        io.temporal.activity.ActivityExecutionContext context = io.temporal.activity.Activity.getExecutionContext();
        org.runbooks.api.PhaseWorkflow phase = context.getWorkflowClient().newWorkflowStub(
                org.runbooks.api.PhaseWorkflow.class, context.getInfo().getWorkflowId(),
                java.util.Optional.of(context.getInfo().getRunId()));
        for (long c = 1; c <= chunks; c++) {
            long rows = Math.min(written, c * request.chunkRows());
            phase.sliceProgress(new org.runbooks.api.SliceProgress(request.idempotencyKey(), request.range().number(),
                    from.rowsCopied() + rows, from.chunks() + c));
            context.heartbeat(c);
        }
    }

    static void holdWhile(java.util.function.BooleanSupplier hold, AtomicInteger cancelled) {
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
}
