package org.runbooks.activities;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import org.runbooks.activity.BackfillCheckpoint;
import org.runbooks.metrics.CopyMeters;

import java.util.ArrayList;
import java.util.List;

/**
 * What the key ranges of one running copy share: the heartbeat, whose details carry every range's checkpoint; the
 * rate limit, counted over all ranges; and the decision to stop. Each range reports every chunk it commits. Once
 * the activity is cancelled (a pause, a re-tune or a rollback: {@code heartbeat} throws) or one range fails, every
 * range stops after its current chunk, and the first reason is what the activity ends with.
 */
final class CopyControl {

    /** Longest a rate-limit wait goes without a heartbeat: 1 s, well inside the backfill's heartbeat timeout. */
    private static final long KEEP_ALIVE_MILLIS = 1_000;

    private final ActivityExecutionContext context;
    private final RateLimit rate;
    private final List<KeyRange> ranges;
    private final List<CopyProgress> latest;
    private final CopyMeters meters;
    private volatile boolean stopped;
    private Exception stopCause;

    /** {@code resumed} holds each range's progress as recorded when this attempt began, in range order. */
    CopyControl(ActivityExecutionContext context, RateLimit rate, List<KeyRange> ranges, List<CopyProgress> resumed,
                CopyMeters meters) {
        this.context = context;
        this.meters = meters;
        this.rate = rate;
        this.ranges = List.copyOf(ranges);
        this.latest = new ArrayList<>(resumed);
    }

    /** Records a committed chunk and heartbeats the whole copy's checkpoint. */
    synchronized void chunkCommitted(KeyRange range, CopyProgress progress) {
        latest.set(range.number() - 1, progress);
        heartbeat();
    }

    /** Records a committed chunk's rows and how long reading and committing it took. */
    void chunkTimed(int rows, long nanos) {
        meters.chunkCommitted(rows, nanos);
    }

    /**
     * Waits as long as the rate limit asks after {@code rows} more rows. The wait ends at once when the copy stops,
     * and heartbeats every second, so a slow rate is not taken for a dead worker and a cancel is not missed.
     */
    void pace(int rows) throws InterruptedException {
        long waitMillis = rate.delayMillis(rows);
        if (waitMillis <= 0) {
            return;
        }
        long began = System.nanoTime();
        long deadline = began + waitMillis * 1_000_000L;
        synchronized (this) {
            long left;
            while (!stopped && (left = (deadline - System.nanoTime()) / 1_000_000L) > 0) {
                wait(Math.min(left, KEEP_ALIVE_MILLIS));
                heartbeat();
            }
        }
        meters.throttled(System.nanoTime() - began);
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
            context.heartbeat(checkpoint());
        } catch (ActivityCompletionException cancelled) {
            stop(cancelled);
        }
    }
}
