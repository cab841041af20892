package org.runbooks.backfill;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import org.runbooks.api.PhaseWorkflow;
import org.runbooks.api.SliceProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells the phase that runs a slice what the slice's range has committed, with the phase's {@code sliceProgress}
 * signal to the very run that scheduled the slice, so the runbook's {@code status} moves while a slice runs rather
 * than when it ends. Sent after a committed chunk only, so never ahead of the commit; at most once per
 * {@link #INTERVAL}, so a slice of fifty chunks adds a handful of signals to the phase's history, not fifty. The
 * slice's result carries its final totals, so the last chunk needs no signal of its own. A signal is sent from a
 * thread of its own and never slows or fails the copy: one that cannot be delivered is logged and dropped, and one
 * still on its way when the next chunk commits makes that chunk's report wait for the next.
 */
final class SliceProgressReports {

    /** Least time between two reports of one slice: 2 s, a tenth of a slice's time budget. */
    static final Duration INTERVAL = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(SliceProgressReports.class);

    private final ActivityExecutionContext context;
    private final String copyKey;
    private final int range;
    private final boolean enabled;
    private final AtomicBoolean sending = new AtomicBoolean();
    private long lastSentNanos;
    private boolean sentOnce;

    SliceProgressReports(ActivityExecutionContext context, String copyKey, int range) {
        this.context = context;
        this.copyKey = copyKey;
        this.range = range;
        // Only a phase listens; a slice run some other way (a test's activity environment) reports nothing.
        this.enabled = PhaseWorkflow.TYPE.equals(context.getInfo().getWorkflowType());
    }

    /** The range's progress after a committed chunk: sent now if the last report is old enough and delivered. */
    void committed(CopyProgress progress) {
        long now = System.nanoTime();
        if (!enabled || (sentOnce && now - lastSentNanos < INTERVAL.toNanos()) || !sending.compareAndSet(false, true)) {
            return;
        }
        sentOnce = true;
        lastSentNanos = now;
        SliceProgress report = new SliceProgress(copyKey, range, progress.rowsCopied(), progress.chunks());
        ActivityInfo info = context.getInfo();
        Thread.ofVirtual().name("slice-progress").start(() -> {
            try {
                context.getWorkflowClient().newWorkflowStub(PhaseWorkflow.class, info.getWorkflowId(),
                        Optional.of(info.getRunId())).sliceProgress(report);
            } catch (RuntimeException e) {
                log.debug("progress of {} range {} at chunk {} not reported to {}: {}", copyKey, range,
                        report.chunks(), info.getWorkflowId(), e.toString());
            } finally {
                sending.set(false);
            }
        });
    }
}
