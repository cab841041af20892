package org.runbooks.backfill;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import org.runbooks.api.CopyRange;
import org.runbooks.jdbc.KeepAlive;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the key ranges of one running copy share: the heartbeat, whose details carry every range's checkpoint; the
 * rate limit, counted over all ranges; and the decision to stop. Each range reports every chunk it commits. Once
 * the activity is cancelled (a pause, a re-tune or a rollback: {@code heartbeat} throws) or one range fails, every
 * range stops after its current chunk, and the first reason is what the activity ends with. A control made
 * {@link #forSlice for one slice} also ends the copy, without a failure, once the slice's chunk or time budget is
 * spent.
 */
final class CopyControl {

    /** Longest a rate-limit wait goes without a heartbeat: 1 s, well inside the backfill's heartbeat timeout. */
    private static final long KEEP_ALIVE_MILLIS = 1_000;

    private final ActivityExecutionContext context;
    private final RateLimit rate;
    private final List<CopyRange> ranges;
    private final List<CopyProgress> latest;
    private final CopyMeters meters;
    private volatile boolean stopped;
    private Exception stopCause;
    /** At most this many chunks in this call; 0: no bound. */
    private int maxChunks;
    /** When this call stops taking new chunks ({@link System#nanoTime}); {@code Long.MAX_VALUE}: never. */
    private long deadlineNanos = Long.MAX_VALUE;
    private int chunksThisCall;
    private boolean budgetSpent;
    private long owedMillis;
    private Throttle throttle;
    private final ChunkLatency latency;
    /** Hears every committed chunk's progress (a slice tells its phase); none by default. */
    private Consumer<CopyProgress> committedTo = progress -> { };
    /** Sends the heartbeats while a chunk is read or written; null until {@link #keepAlive} starts it. */
    private KeepAlive keepAlive;

    /** {@code resumed} holds each range's progress as recorded when this attempt began, in range order. */
    CopyControl(ActivityExecutionContext context, RateLimit rate, List<CopyRange> ranges, List<CopyProgress> resumed,
                CopyMeters meters) {
        this.context = context;
        this.meters = meters;
        this.rate = rate;
        this.ranges = List.copyOf(ranges);
        this.latest = new ArrayList<>(resumed);
        // Ranges share one size; resumed, they start at the smallest any of them recorded.
        this.latency = new ChunkLatency(resumed.stream().map(CopyProgress::chunkRows)
                .filter(java.util.Objects::nonNull).min(Integer::compare).orElse(null));
    }

    /**
     * A control for one slice of a copy: {@code range} alone, ending after {@code maxChunks} chunks or once
     * {@code budgetMillis} have passed, whichever comes first (the chunk being written always finishes).
     */
    static CopyControl forSlice(ActivityExecutionContext context, RateLimit rate, CopyRange range, CopyProgress resumed,
                                int maxChunks, long budgetMillis, CopyMeters meters) {
        CopyControl control = new CopyControl(context, rate, List.of(range), List.of(resumed), meters);
        control.maxChunks = Math.max(1, maxChunks);
        control.deadlineNanos = System.nanoTime() + Math.max(0, budgetMillis) * 1_000_000L;
        return control;
    }

    /** Hands the progress after every committed chunk to {@code listener} from now on. */
    CopyControl reportingTo(Consumer<CopyProgress> listener) {
        this.committedTo = listener;
        return this;
    }

    /** Asks {@code throttle} before every chunk from now on (null: none). */
    CopyControl throttledBy(Throttle probe) {
        this.throttle = probe;
        return this;
    }

    /**
     * The size of the next chunk: {@code configured}, or what the throttle allows once its probe is healthy (the
     * copy may be stopped meanwhile; the caller checks), or less while chunks were slow. Where {@code streamed} (the
     * writer never holds a chunk whole) and neither a throttle nor a rate limit paces the copy, fast chunks grow past
     * {@code configured} ({@link ChunkLatency#grownCeiling}); a paced copy keeps its chunks at most the configured
     * size, so its pace stays as even as it was asked to be.
     */
    int nextChunkRows(int configured, boolean streamed) throws InterruptedException {
        int ceiling = streamed && throttle == null && !rate.limited() ? ChunkLatency.grownCeiling(configured)
                : configured;
        int wanted = throttle == null ? ceiling : throttle.nextChunkRows(this);
        return latency.cap(configured, ceiling, wanted);
    }

    /**
     * Starts heartbeating the copy's latest checkpoint from a background thread, so that a chunk slower than the
     * heartbeat timeout is not taken for a dead worker; closing it stops that and throws a cancellation the copy has
     * not seen yet.
     */
    KeepAlive keepAlive() {
        KeepAlive started = KeepAlive.start(context, checkpoint());
        synchronized (this) {
            keepAlive = started;
        }
        return started;
    }

    /** Records a committed chunk and heartbeats the whole copy's checkpoint. */
    synchronized void chunkCommitted(CopyRange range, CopyProgress progress) {
        latest.set(ranges.indexOf(range), progress);
        chunksThisCall++;
        heartbeat();
        committedTo.accept(progress);
    }

    /**
     * Records that a chunk of {@code rows} took {@code nanos} to read and write, before its commit, and returns the
     * size latency asks of the next chunk, which the chunk's checkpoint records (null: none yet).
     */
    Integer chunkWritten(int rows, long nanos) {
        return latency.timed(rows, nanos);
    }

    /** Records a committed chunk's rows and how long reading, writing and committing it took. */
    void chunkTimed(int rows, long nanos) {
        meters.chunkCommitted(rows, nanos);
    }

    /**
     * Waits as long as the rate limit asks after {@code rows} more rows. The wait ends at once when the copy stops,
     * and heartbeats every second, so a slow rate is not taken for a dead worker and a cancel is not missed.
     */
    void pace(int rows) throws InterruptedException {
        long waitMillis = rate.delayMillis(rows);
        if (waitMillis > 0) {
            long began = System.nanoTime();
            long untilBudgetEnds = (deadlineNanos - System.nanoTime()) / 1_000_000L;
            if (deadlineNanos != Long.MAX_VALUE && waitMillis > untilBudgetEnds) {
                // The rest of the wait is the workflow's to sit out before the range's next slice.
                owedMillis = waitMillis - Math.max(0, untilBudgetEnds);
                waitMillis = Math.max(0, untilBudgetEnds);
            }
            long deadline = System.nanoTime() + waitMillis * 1_000_000L;
            synchronized (this) {
                long left;
                while (!stopped && (left = (deadline - System.nanoTime()) / 1_000_000L) > 0) {
                    wait(Math.min(left, KEEP_ALIVE_MILLIS));
                    heartbeat();
                }
            }
            meters.throttled(System.nanoTime() - began);
        }
        endSliceIfSpent();
    }

    /**
     * Waits up to {@code millis} for a throttle, heartbeating every second. False when the copy stopped meanwhile
     * or, for a slice, its time ran out (the slice then ends as if its budget were spent, without a failure).
     */
    boolean hold(long millis) throws InterruptedException {
        long deadline = Math.min(System.nanoTime() + millis * 1_000_000L, deadlineNanos);
        long began = System.nanoTime();
        synchronized (this) {
            long left;
            while (!stopped && (left = (deadline - System.nanoTime()) / 1_000_000L) > 0) {
                wait(Math.min(left, KEEP_ALIVE_MILLIS));
                heartbeat();
            }
        }
        meters.throttled(System.nanoTime() - began);
        if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() >= deadlineNanos) {
            endSlice();
        }
        return !stopped();
    }

    /** Ends a slice now, without a failure, as if its budget were spent; false (and nothing ends) for a whole copy. */
    synchronized boolean endSlice() {
        if (maxChunks == 0) {
            return false;
        }
        if (!stopped) {
            budgetSpent = true;
            stopped = true;
            notifyAll();
        }
        return true;
    }

    /** After a paced chunk: a slice whose budget is spent stops here, without a failure. */
    private synchronized void endSliceIfSpent() {
        if (maxChunks > 0 && !stopped
                && (chunksThisCall >= maxChunks || owedMillis > 0 || System.nanoTime() >= deadlineNanos)) {
            budgetSpent = true;
            stopped = true;
            notifyAll();
        }
    }

    /** True when a slice stopped because its budget was spent, so its range may hold more rows. */
    synchronized boolean budgetSpent() {
        return budgetSpent;
    }

    /** How long the rate limit still asks for after this slice, in milliseconds (0: none). */
    synchronized long owedMillis() {
        return owedMillis;
    }

    /** Asks every range to stop after its current chunk; the first cause is the one {@link #throwIfStopped} throws. */
    synchronized void stop(Exception cause) {
        if (stopCause == null) {
            stopCause = cause;
        }
        stopped = true;
        notifyAll();
    }

    boolean stopped() {
        return stopped;
    }

    /** Throws why the copy stopped early: the cancellation as the SDK raised it, or the first range's failure. */
    synchronized void throwIfStopped() throws Exception {
        if (stopCause != null) {
            throw stopCause;
        }
    }

    synchronized BackfillCheckpoint checkpoint() {
        return CopyTotals.checkpoint(ranges, latest);
    }

    private void heartbeat() {
        if (stopped) {
            return;
        }
        try {
            KeepAlive alive;
            synchronized (this) {
                alive = keepAlive;
            }
            if (alive != null) {
                alive.heartbeat(checkpoint());
            } else {
                context.heartbeat(checkpoint());
            }
        } catch (ActivityCompletionException cancelled) {
            stop(cancelled);
        }
    }
}
