package org.runbooks.step;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;

import java.time.Duration;

/**
 * Every activity's timeouts and retries, written once. Errors that a retry cannot fix are thrown as
 * non-retryable {@code ApplicationFailure}s by the activities themselves, so these policies only govern I/O trouble.
 */
public final class StepOptions {

    /**
     * Retries for steps that move forward: first retry after 1 s, doubling up to 30 s, 10 attempts in all, which
     * rides out about two and a half minutes of a database being unreachable before the phase fails.
     */
    public static final RetryOptions FORWARD_RETRIES = RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setBackoffCoefficient(2.0)
            .setMaximumInterval(Duration.ofSeconds(30))
            .setMaximumAttempts(10)
            .build();

    /**
     * Retries for compensations: a rollback must finish, so 50 attempts up to 30 s apart (about 25 minutes) before a
     * compensation is logged as failed and the rest go on.
     */
    public static final RetryOptions COMPENSATION_RETRIES = RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setBackoffCoefficient(2.0)
            .setMaximumInterval(Duration.ofSeconds(30))
            .setMaximumAttempts(50)
            .build();

    /**
     * Heartbeat timeout of a backfill: 10 s. A worker that dies mid-copy is noticed within this, and the copy
     * resumes from its checkpoint on another (or the restarted) worker. Every chunk heartbeats, so a chunk must
     * commit within it; shorter would make slow chunks on a loaded database time out for nothing.
     */
    public static final Duration BACKFILL_HEARTBEAT = Duration.ofSeconds(10);

    /**
     * Heartbeat timeout of a validation: 30 s. A worker that dies mid-comparison is noticed within this and the
     * comparison goes on from its last finished segment; the activity re-sends its checkpoint every few seconds while
     * a query runs ({@code KeepAlive}), so a slow KPI or a long segment is not taken for a dead worker.
     */
    public static final Duration VALIDATION_HEARTBEAT = Duration.ofSeconds(30);

    /** Longest a single backfill may run: 7 days; tables that take longer want several steps. */
    public static final Duration BACKFILL_MAX = Duration.ofDays(7);

    /**
     * Longest one slice of a copy may take: 10 minutes. A slice stops taking chunks after
     * {@code SliceScheduler.SLICE_BUDGET} and hands a longer rate-limit wait back to the workflow, so only a chunk that
     * keeps heartbeating yet will not commit comes near this.
     */
    public static final Duration SLICE_MAX = Duration.ofMinutes(10);

    /** Longest a validation, flag change, SQL statement or compensation call may take: 2 hours. */
    public static final Duration SHORT_STEP_MAX = Duration.ofHours(2);

    /**
     * Longest the runbook load and check may take: 5 minutes. It reads one file, then pre-flight asks every database
     * the runbook names a few read-only questions (5 s at most to connect, 10 s at most per question).
     */
    public static final Duration LOAD_MAX = Duration.ofMinutes(5);

    /** Longest one webhook call may take: 1 minute, so a hanging receiver cannot hold a phase for long. */
    public static final Duration NOTIFY_MAX = Duration.ofMinutes(1);

    /**
     * Heartbeat timeout of a stream's apply: 30 s. The apply heartbeats every second; a worker that dies is noticed
     * within this and the stream resumes from its committed position on any worker.
     */
    public static final Duration STREAM_HEARTBEAT = Duration.ofSeconds(30);

    /**
     * Longest one apply of a stream may run: 30 days. The stream's workflow stops it long before, to continue as new,
     * to pause, or at the end.
     */
    public static final Duration STREAM_MAX = Duration.ofDays(30);

    /**
     * Retries of a stream's apply: no limit, at most 30 s apart. A stream that cannot reach a database keeps trying;
     * its lag grows in {@code status} meanwhile. What a retry cannot fix (a schema change) fails non-retryably.
     */
    public static final RetryOptions STREAM_RETRIES = RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setBackoffCoefficient(2.0)
            .setMaximumInterval(Duration.ofSeconds(30))
            .build();

    private StepOptions() {
    }

    public static ActivityOptions load() {
        return ActivityOptions.newBuilder()
                .setStartToCloseTimeout(LOAD_MAX)
                .setRetryOptions(FORWARD_RETRIES)
                .build();
    }

    /**
     * A cancelled backfill is waited for until it has stopped (it notices at its next heartbeat), so that a rollback
     * never deletes copied rows while a chunk is still being written.
     */
    public static ActivityOptions backfill() {
        return ActivityOptions.newBuilder()
                .setCancellationType(io.temporal.activity.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                .setStartToCloseTimeout(BACKFILL_MAX)
                .setHeartbeatTimeout(BACKFILL_HEARTBEAT)
                .setRetryOptions(FORWARD_RETRIES)
                .build();
    }

    /**
     * One slice of a copy, shown in the UI as {@code summary}. Like {@link #backfill()}, a cancelled slice is waited
     * for until it has stopped after its chunk, so a rollback never races a chunk being written.
     */
    public static ActivityOptions slice(String summary) {
        return ActivityOptions.newBuilder()
                .setCancellationType(io.temporal.activity.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                .setStartToCloseTimeout(SLICE_MAX)
                .setHeartbeatTimeout(BACKFILL_HEARTBEAT)
                .setRetryOptions(FORWARD_RETRIES)
                .setSummary(summary)
                .build();
    }

    /** Planning a copy (reads the schema, cuts the ranges, counts the source): a short step with a summary. */
    public static ActivityOptions planCopy(String summary) {
        return ActivityOptions.newBuilder(shortStep()).setSummary(summary).build();
    }

    /**
     * A stream's apply: waited for when cancelled (a pause or a stop), so the slot is free before the stream's
     * workflow goes on, and retried without limit (see {@link #STREAM_RETRIES}).
     */
    public static ActivityOptions streamApply() {
        return ActivityOptions.newBuilder()
                .setCancellationType(io.temporal.activity.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                .setStartToCloseTimeout(STREAM_MAX)
                .setHeartbeatTimeout(STREAM_HEARTBEAT)
                .setRetryOptions(STREAM_RETRIES)
                .build();
    }

    /** Reading a stream's lag: a minute at most, retried a few times; a missed reading is taken again later. */
    public static ActivityOptions streamLag() {
        return ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
                .build();
    }

    public static ActivityOptions shortStep() {
        return ActivityOptions.newBuilder()
                .setStartToCloseTimeout(SHORT_STEP_MAX)
                .setRetryOptions(FORWARD_RETRIES)
                .build();
    }

    /**
     * A validation (the table comparison, KPIs and assertions): {@link #SHORT_STEP_MAX} like a short step, plus
     * {@link #VALIDATION_HEARTBEAT}, so a killed worker's comparison is retried within seconds, not hours.
     */
    public static ActivityOptions validation() {
        return heartbeatingStep();
    }

    /**
     * A flag change or SQL statement of a phase: a short step that heartbeats while the database works (the
     * activities keep a {@code KeepAlive} running), with {@link #VALIDATION_HEARTBEAT}, so a worker killed during
     * one is retried within seconds rather than after {@link #SHORT_STEP_MAX}.
     */
    public static ActivityOptions heartbeatingStep() {
        return ActivityOptions.newBuilder(shortStep())
                .setHeartbeatTimeout(VALIDATION_HEARTBEAT)
                .build();
    }

    /**
     * {@code options} for an activity that writes and that a rollback may cancel (a flag change, a SQL statement, a key
     * repair): the cancel is waited for until the activity has ended, and the compensations run only after that, so
     * the forward change can never commit after it was undone. A flag change, SQL statement or key repair hears of the
     * cancel at a heartbeat, cancels its statement and rolls its transaction back: the wait is at most the SDK's
     * heartbeat throttle (0.8 of the heartbeat timeout) plus a keep-alive interval, about 30 s with
     * {@link #VALIDATION_HEARTBEAT}.
     */
    public static ActivityOptions stoppedBeforeUndo(ActivityOptions options) {
        return ActivityOptions.newBuilder(options)
                .setCancellationType(io.temporal.activity.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                .build();
    }

    /**
     * Re-copying the keys a validation listed: a short step that heartbeats while the databases work (the activity
     * keeps a {@code KeepAlive} running), so a worker killed during a repair is retried within
     * {@link #VALIDATION_HEARTBEAT} rather than after {@link #SHORT_STEP_MAX}.
     */
    public static ActivityOptions repair(String summary) {
        return ActivityOptions.newBuilder(heartbeatingStep()).setSummary(summary).build();
    }

    /** A webhook call: a minute per attempt, then the forward retries; a notification that fails is only logged. */
    public static ActivityOptions notification() {
        return ActivityOptions.newBuilder()
                .setStartToCloseTimeout(NOTIFY_MAX)
                .setRetryOptions(FORWARD_RETRIES)
                .build();
    }

    /**
     * A compensation: rollback-grade retries and the backfill's 10 s heartbeat timeout, so a worker killed during a
     * rollback is noticed quickly; the compensating activities heartbeat while their statements run.
     */
    public static ActivityOptions compensation() {
        return ActivityOptions.newBuilder()
                .setStartToCloseTimeout(SHORT_STEP_MAX)
                .setHeartbeatTimeout(BACKFILL_HEARTBEAT)
                .setRetryOptions(COMPENSATION_RETRIES)
                .build();
    }

    /** Options of a flag change or SQL statement; see {@link StepChanges#STOP_BEFORE_UNDO}. */
    public static ActivityOptions writingStep() {
        return StepChanges.stopsBeforeUndo() ? stoppedBeforeUndo(heartbeatingStep()) : heartbeatingStep();
    }
}
