package org.runbooks.backfill;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import org.runbooks.api.BackfillProgress;
import org.runbooks.api.CopyCarry;
import org.runbooks.api.CopyRange;
import org.runbooks.api.Knobs;
import org.runbooks.api.PhaseEvent;
import org.runbooks.api.PhaseRequest;
import org.runbooks.api.RangeCursor;
import org.runbooks.api.SliceProgress;
import org.runbooks.api.ThrottleView;
import org.runbooks.model.BackfillStep;
import org.runbooks.step.StepOptions;
import org.runbooks.ui.Summaries;
import org.slf4j.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Drives one backfill from the workflow in bounded pieces: plans the key ranges once, then keeps up to the
 * parallelism in force of {@code copySlice} activities running, each continuing one range from its cursor. The knobs
 * are read at every slice, so a pause stops new slices (running ones end after their own few chunks) and a new
 * chunk size, rate or parallelism reaches the next slices. Between slices, once the running ones have drained, the
 * phase may continue as new, carrying {@link CopyCarry}. The runbook hears the progress at each whole percent,
 * counting, from {@link #PROGRESS_CHANGE} on, the chunks a running slice reports it has committed
 * ({@link #committed}), so {@code status} moves while a slice runs and never ahead of the commit.
 */
public final class SliceScheduler {

    /**
     * Most chunks one slice writes: 50, about a second of a full-speed copy of 10,000-row chunks, so a re-tune takes
     * effect within a second or so (a pause stops a slice at its next heartbeat). Each slice costs about 0.05 s of
     * scheduling and connecting, so fewer chunks per slice cost a full-speed copy more of its time.
     */
    static final int SLICE_MAX_CHUNKS = 50;

    /**
     * Longest one slice keeps taking new chunks: 20 s, short enough that knobs apply soon and a worker restart
     * costs little, long enough that a fast copy is not all scheduling.
     */
    static final Duration SLICE_BUDGET = Duration.ofSeconds(20);

    /** Change id of a copy that tells its runbook about its throttle probe. */
    static final String THROTTLE_CHANGE = "throttle-probe";
    /** From this version on, a pause cancels the running slices, which stop after the chunk they are writing. */
    static final String PAUSE_CHANGE = "pause-stops-slices";
    /** From this version on, the progress told to the runbook counts what running slices report committed. */
    static final String PROGRESS_CHANGE = "progress-per-chunk";

    private static final Logger log = Workflow.getLogger(SliceScheduler.class);

    private final PhaseRequest request;
    private final String key;
    private final BackfillStep step;
    private final Supplier<Knobs> knobs;
    private final Consumer<PhaseEvent> tell;
    private final BooleanSupplier continueAsNewDue;
    private final Consumer<CopyCarry> continueAsNew;

    private List<CopyRange> ranges;
    private final List<RangeCursor> cursors = new ArrayList<>();
    private final List<Long> notBefore = new ArrayList<>();
    private long estimatedRows;
    private long startedAt;
    private long rowsAtStart;
    private int percentTold = -1;
    /** The throttle probe's latest state, and what the runbook last heard of it; null without a probe. */
    private ThrottleView throttle;
    private ThrottleView throttleTold;
    /** Each running slice's scope, so a pause can stop it after its chunk; and the slices a pause stopped. */
    private final Map<Integer, CancellationScope> scopes = new HashMap<>();
    private final Set<Integer> pausing = new HashSet<>();
    /** True from {@link #PROGRESS_CHANGE} on: running slices' reports count (known once {@link #run} starts). */
    private boolean perChunk;
    /** Each range's totals as its running slice last reported them, when ahead of its cursor. */
    private final Map<Integer, RangeCursor> reported = new HashMap<>();
    /** True when a report moved a range past what the runbook was last told about. */
    private boolean reportMoved;

    /**
     * @param continueAsNewDue true when the phase's history asks for a new run
     * @param continueAsNew    ends this run of the phase, carrying the copy's state (does not return)
     */
    public SliceScheduler(PhaseRequest request, String key, BackfillStep step, Supplier<Knobs> knobs, Consumer<PhaseEvent> tell,
               BooleanSupplier continueAsNewDue, Consumer<CopyCarry> continueAsNew) {
        this.request = request;
        this.key = key;
        this.step = step;
        this.knobs = knobs;
        this.tell = tell;
        this.continueAsNewDue = continueAsNewDue;
        this.continueAsNew = continueAsNew;
    }

    /** Copies every range to its end, from {@code carried} when a previous run of the phase began it; returns the rows. */
    public long run(CopyCarry carried) {
        perChunk = Workflow.getVersion(PROGRESS_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;
        if (carried == null) {
            plan();
            report(false);
        } else {
            resume(carried);
        }
        Map<Integer, Promise<SliceResult>> running = new TreeMap<>();
        ActivityFailure failure = null;
        while (true) {
            Knobs now = knobs.get();
            if (now.paused()) {
                stopAtTheirChunk(running);
            }
            if (failure == null && !now.paused() && !continueAsNewDue.getAsBoolean()) {
                startSlices(running, now);
            }
            if (running.isEmpty()) {
                if (failure != null) {
                    throw failure;
                }
                if (allDone()) {
                    break;
                }
                if (continueAsNewDue.getAsBoolean()) {
                    continueAsNew.accept(carry());
                }
            }
            awaitChange(running, now, failure == null && !now.paused() ? nextWake(running) : null);
            failure = collect(running, failure);
            if (reportMoved) {
                reportMoved = false;
                report(false);
            }
        }
        report(true);
        log.info("runbook={} phase={} step={} copied {} rows in {} key range(s)", request.runbook(),
                request.phase().name(), step.id(), rowsDone(), ranges.size());
        return rowsDone();
    }

    private void plan() {
        int ranges = Math.max(step.parallelism(), parallelism(knobs.get()));
        BackfillActivities planner = Workflow.newActivityStub(BackfillActivities.class,
                StepOptions.planCopy(Summaries.plan(step)));
        CopyPlan plan = planner.planCopy(new CopyPlanRequest(key, request.runbook(), step, ranges));
        this.ranges = plan.ranges();
        cursors.addAll(plan.cursors());
        notBefore.addAll(Collections.nCopies(plan.ranges().size(), 0L));
        estimatedRows = plan.estimatedRows();
        startedAt = Workflow.currentTimeMillis();
        rowsAtStart = rowsDone();
    }

    private void resume(CopyCarry carried) {
        ranges = carried.ranges();
        cursors.addAll(carried.cursors());
        notBefore.addAll(carried.notBeforeMillis());
        estimatedRows = carried.estimatedRows();
        startedAt = carried.startedAtMillis();
        rowsAtStart = carried.rowsAtStart();
        percentTold = carried.percentTold();
    }

    private CopyCarry carry() {
        return new CopyCarry(ranges, cursors, notBefore, estimatedRows, startedAt, rowsAtStart, percentTold);
    }

    /** Starts slices of ranges that are neither done, running nor held back by the rate limit, up to the parallelism. */
    private void startSlices(Map<Integer, Promise<SliceResult>> running, Knobs now) {
        int parallelism = parallelism(now);
        int chunkRows = now.chunkRowsFor(step);
        long rate = now.rowsPerSecondFor(step);
        long sharers = Math.min(parallelism, cursors.stream().filter(c -> !c.done()).count());
        long ratePerSlice = rate <= 0 ? 0 : Math.max(1, rate / Math.max(1, sharers));
        long time = Workflow.currentTimeMillis();
        for (int i = 0; i < ranges.size() && running.size() < parallelism; i++) {
            if (cursors.get(i).done() || running.containsKey(i) || notBefore.get(i) > time) {
                continue;
            }
            CopyRange range = ranges.get(i);
            RangeCursor cursor = cursors.get(i);
            BackfillActivities slices = Workflow.newActivityStub(BackfillActivities.class,
                    StepOptions.slice(Summaries.slice(step, range, cursor, estimatedRows, chunkRows)));
            SliceRequest slice = new SliceRequest(key, request.runbook(), step, range, cursor, chunkRows,
                    ratePerSlice, SLICE_MAX_CHUNKS, SLICE_BUDGET.toMillis(),
                    throttle == null || throttle.configuredChunkRows() != chunkRows ? null : throttle.chunkRows());
            int index = i;
            CancellationScope scope = Workflow.newCancellationScope(
                    () -> running.put(index, Async.function(slices::copySlice, slice)));
            scope.run();
            scopes.put(i, scope);
        }
    }

    /**
     * A pause stops the running slices after the chunk each is writing (a cancelled slice is waited for until it
     * has stopped, and its chunk and checkpoint commit together or not at all); the next slice of each range starts
     * from the progress the target recorded.
     */
    private void stopAtTheirChunk(Map<Integer, Promise<SliceResult>> running) {
        List<Integer> toStop = running.keySet().stream().filter(i -> !pausing.contains(i)).toList();
        if (toStop.isEmpty() || Workflow.getVersion(PAUSE_CHANGE, Workflow.DEFAULT_VERSION, 1) < 1) {
            return;
        }
        log.info("runbook={} phase={} step={} paused; stopping {} running slice(s) after their chunk",
                request.runbook(), request.phase().name(), step.id(), toStop.size());
        for (int i : toStop) {
            pausing.add(i);
            scopes.get(i).cancel("paused");
        }
    }

    /**
     * Waits until a slice ends, the knobs move, or {@code wake} passes. Cancelled (a rollback), it first waits, in a
     * scope the cancel cannot reach, for the running slices to stop after their chunk, so compensation never races
     * a chunk being written.
     */
    private void awaitChange(Map<Integer, Promise<SliceResult>> running, Knobs seen, Duration wake) {
        BooleanSupplier changed = () -> running.values().stream().anyMatch(Promise::isCompleted)
                || knobs.get().version() != seen.version() || reportMoved;
        try {
            if (wake == null) {
                Workflow.await(changed::getAsBoolean);
            } else {
                Workflow.await(wake, changed::getAsBoolean);
            }
        } catch (CanceledFailure cancelled) {
            Workflow.newDetachedCancellationScope(() -> Workflow.await(
                    () -> running.values().stream().allMatch(Promise::isCompleted))).run();
            throw cancelled;
        }
    }

    /** Takes in every finished slice; keeps the first failure, to be thrown once the others have drained. */
    private ActivityFailure collect(Map<Integer, Promise<SliceResult>> running, ActivityFailure failure) {
        List<Integer> finished = running.entrySet().stream().filter(e -> e.getValue().isCompleted())
                .map(Map.Entry::getKey).toList();
        for (int i : finished) {
            Promise<SliceResult> slice = running.remove(i);
            scopes.remove(i);
            boolean stoppedForPause = pausing.remove(i);
            try {
                SliceResult result = slice.get();
                cursors.set(i, result.cursor());
                RangeCursor heard = reported.get(i);
                if (heard != null && heard.chunks() <= result.cursor().chunks()) {
                    reported.remove(i);
                }
                notBefore.set(i, result.resumeAfterMillis() > 0
                        ? Workflow.currentTimeMillis() + result.resumeAfterMillis() : 0L);
                throttled(result);
            } catch (ActivityFailure e) {
                if (stoppedForPause && e.getCause() instanceof CanceledFailure) {
                    log.info("runbook={} phase={} step={} slice of {} stopped for the pause", request.runbook(),
                            request.phase().name(), step.id(), ranges.get(i).label());
                    continue;
                }
                log.warn("runbook={} phase={} step={} slice of {} failed; draining the other slices",
                        request.runbook(), request.phase().name(), step.id(), ranges.get(i).label());
                failure = failure == null ? e : failure;
            }
        }
        if (!finished.isEmpty()) {
            report(false);
        }
        return failure;
    }

    /**
     * Keeps the throttle probe's latest state from a slice, and tells the runbook when it changed (from
     * {@link #THROTTLE_CHANGE} on), so {@code status} shows what holds the copy back.
     */
    private void throttled(SliceResult result) {
        if (result.throttle() == null) {
            return;
        }
        throttle = ThrottleView.of(step.id(), step.throttle().describe(), result.throttle(),
                throttle == null ? 0 : throttle.throttledMillis());
        if (throttle.differsFrom(throttleTold)
                && Workflow.getVersion(THROTTLE_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
            throttleTold = throttle;
            tell.accept(PhaseEvent.throttle(request.phase().name(), throttle));
        }
    }

    /**
     * A running slice's report of what its range has committed (the {@code sliceProgress} signal). Counted only when
     * it is of this copy and ahead of what the workflow knows of the range; a late report of a slice already taken
     * in, or of an earlier copy, changes nothing. Runs from before {@link #PROGRESS_CHANGE} ignore every report.
     */
    void committed(SliceProgress progress) {
        if (!perChunk || ranges == null || !key.equals(progress.copyKey())) {
            return;
        }
        for (int i = 0; i < ranges.size(); i++) {
            if (ranges.get(i).number() != progress.range()) {
                continue;
            }
            RangeCursor known = reported.getOrDefault(i, cursors.get(i));
            if (progress.chunks() > known.chunks()) {
                reported.put(i, new RangeCursor(null, progress.rowsCopied(), progress.chunks(), false));
                reportMoved = true;
            }
        }
    }

    /** How long until the first range held back by the rate limit may go again; null when none is. */
    private Duration nextWake(Map<Integer, Promise<SliceResult>> running) {
        long time = Workflow.currentTimeMillis();
        long first = Long.MAX_VALUE;
        for (int i = 0; i < ranges.size(); i++) {
            if (!cursors.get(i).done() && !running.containsKey(i) && notBefore.get(i) > time) {
                first = Math.min(first, notBefore.get(i));
            }
        }
        return first == Long.MAX_VALUE ? null : Duration.ofMillis(Math.max(1, first - time));
    }

    /** Tells the runbook where the copy stands, once per whole percent (and at the end), so its history stays small. */
    private void report(boolean finished) {
        long done = finished ? rowsDone() : rowsCommitted();
        int percent = finished ? 100 : estimatedRows <= 0 ? 0 : (int) Math.min(99, done * 100 / estimatedRows);
        if (percent <= percentTold) {
            return;
        }
        percentTold = percent;
        long time = Workflow.currentTimeMillis();
        long elapsed = time - startedAt;
        long rate = elapsed <= 0 ? 0 : (done - rowsAtStart) * 1000 / elapsed;
        String eta = finished ? Instant.ofEpochMilli(time).toString()
                : rate <= 0 ? null : Instant.ofEpochMilli(time + Math.max(0, estimatedRows - done) * 1000 / rate).toString();
        tell.accept(PhaseEvent.progress(request.phase().name(),
                new BackfillProgress(step.id(), done, estimatedRows, percent, rate, eta)));
    }

    private int parallelism(Knobs now) {
        return now.parallelismFor(step);
    }

    private long rowsDone() {
        return cursors.stream().mapToLong(RangeCursor::rowsCopied).sum();
    }

    /** The rows every range has committed: its cursor's, or what its running slice reported since, if more. */
    private long rowsCommitted() {
        long rows = 0;
        for (int i = 0; i < cursors.size(); i++) {
            RangeCursor heard = reported.get(i);
            rows += heard != null && heard.chunks() > cursors.get(i).chunks() ? heard.rowsCopied()
                    : cursors.get(i).rowsCopied();
        }
        return rows;
    }

    private boolean allDone() {
        return cursors.stream().allMatch(RangeCursor::done);
    }
}
