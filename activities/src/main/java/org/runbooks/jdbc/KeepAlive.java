package org.runbooks.jdbc;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import org.runbooks.validate.ValidationCheckpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Heartbeats an activity while it blocks in a call that cannot heartbeat itself: a KPI query, a long checksum
 * segment, a revert statement, a delete of copied rows. Without it such a call, once slower than the activity's
 * heartbeat timeout, fails every attempt, and without a heartbeat timeout a killed worker's attempt is noticed only
 * at the start-to-close timeout (hours).
 *
 * <p>A daemon thread re-sends the latest details every {@link #intervalFor interval}; details the activity reports
 * through {@link #heartbeat} replace them, so a keep-alive never wipes a checkpoint (such as a
 * {@link ValidationCheckpoint}) that a retried attempt resumes from. When a heartbeat answers that the activity is
 * cancelled or no longer exists, the thread cancels the statement the activity registered ({@link #cancels}) and
 * stops, and the activity learns it at its next {@link #heartbeat}, {@link #throwIfCancelled} or at {@link #close},
 * which throw that {@link ActivityCompletionException}.
 */
public final class KeepAlive implements AutoCloseable, StatementCancel {

    /** Longest gap between two keep-alive heartbeats: 5 s (the SDK throttles what it sends to the server anyway). */
    static final Duration LONGEST_INTERVAL = Duration.ofSeconds(5);

    /** Shortest gap between two keep-alive heartbeats: 100 ms, for tiny heartbeat timeouts in tests. */
    static final Duration SHORTEST_INTERVAL = Duration.ofMillis(100);

    private static final Logger log = LoggerFactory.getLogger(KeepAlive.class);

    private final ActivityExecutionContext context;
    private final Duration interval;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread thread;
    /** The details every heartbeat sends; guarded by {@code this}, which also orders the sends. */
    private Object latest;
    /** What a heartbeat answered when the activity was cancelled or gone; null while it is alive. */
    private volatile ActivityCompletionException stopped;
    /** Whether {@link #stopped} has reached the activity's thread already (then {@link #close} stays quiet). */
    private volatile boolean surfaced;
    /** The statement a cancel stops; null when the activity registered none. */
    private volatile Statement running;

    private KeepAlive(ActivityExecutionContext context, Object details, Duration interval) {
        this.context = context;
        this.latest = details;
        this.interval = interval;
        this.thread = Thread.ofPlatform().daemon()
                .name("keep-alive " + context.getInfo().getActivityType() + " " + context.getInfo().getActivityId())
                .unstarted(this::run);
    }

    /** Keeps an activity that has no checkpoint alive (its heartbeats carry no details). */
    public static KeepAlive start(ActivityExecutionContext context) {
        return start(context, null);
    }

    /** Keeps an activity alive, re-sending {@code checkpoint} until {@link #heartbeat} reports a newer one. */
    public static KeepAlive start(ActivityExecutionContext context, Object checkpoint) {
        KeepAlive keepAlive = new KeepAlive(context, checkpoint, intervalFor(context.getInfo().getHeartbeatTimeout()));
        keepAlive.thread.start();
        return keepAlive;
    }

    /**
     * A quarter of the heartbeat timeout, so three keep-alives can go missing on a loaded machine before the server
     * gives up on the attempt; between {@link #SHORTEST_INTERVAL} and {@link #LONGEST_INTERVAL}, and the longest when
     * the activity has no heartbeat timeout.
     */
    static Duration intervalFor(Duration heartbeatTimeout) {
        if (heartbeatTimeout == null || heartbeatTimeout.isZero()) {
            return LONGEST_INTERVAL;
        }
        Duration quarter = heartbeatTimeout.dividedBy(4);
        if (quarter.compareTo(SHORTEST_INTERVAL) < 0) {
            return SHORTEST_INTERVAL;
        }
        return quarter.compareTo(LONGEST_INTERVAL) > 0 ? LONGEST_INTERVAL : quarter;
    }

    /**
     * Heartbeats {@code details} now and keeps re-sending them from then on.
     *
     * @throws ActivityCompletionException when the activity is cancelled or gone
     */
    public synchronized void heartbeat(Object details) {
        try {
            throwIfStopped();
            latest = details;
            send();
        } catch (ActivityCompletionException e) {
            surfaced = true;
            throw e;
        }
    }

    /**
     * Makes {@code statement} the one that a cancel of the activity stops ({@link Statement#cancel()}), and returns
     * it. A statement that waits on a lock or works for long would otherwise run on after its activity was cancelled,
     * and commit after the rollback that cancelled it had undone the step.
     */
    @Override
    public <S extends Statement> S cancels(S statement) {
        running = statement;
        return statement;
    }

    /**
     * Throws the cancel (or loss) of the activity that a heartbeat met, if one did; an activity calls it before it
     * commits, so a cancel that came while no statement ran still keeps it from committing.
     *
     * @throws ActivityCompletionException when the activity is cancelled or gone
     */
    @Override
    public void throwIfCancelled() {
        try {
            throwIfStopped();
        } catch (ActivityCompletionException e) {
            surfaced = true;
            throw e;
        }
    }

    /**
     * What an activity that failed with {@code failure} should end with: the cancel (or loss) of the activity when a
     * heartbeat met one (a statement it cancelled fails with an error of its own), else {@code failure}.
     */
    public Exception cancellationOr(Exception failure) {
        ActivityCompletionException e = stopped;
        if (e == null) {
            return failure;
        }
        surfaced = true;
        return e;
    }

    /**
     * Stops the keep-alive. Throws the cancellation (or loss) of the activity that a keep-alive heartbeat met, unless
     * the activity has already seen it, so that a cancelled activity ends as cancelled rather than with a result.
     */
    @Override
    public void close() {
        closing.countDown();
        try {
            thread.join(LONGEST_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!surfaced) {
            surfaced = true;
            throwIfStopped();
        }
    }

    private void run() {
        try {
            while (!closing.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
                synchronized (this) {
                    if (stopped != null || closing.getCount() == 0) {
                        return;
                    }
                    send();
                }
            }
        } catch (ActivityCompletionException e) {
            log.info("activity={} {} stopped heartbeating: {}", context.getInfo().getActivityType(),
                    context.getInfo().getActivityId(), e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("activity={} {} keep-alive stopped: {}", context.getInfo().getActivityType(),
                    context.getInfo().getActivityId(), e.toString());
        }
    }

    /** Sends {@link #latest}; a cancel or a lost activity is kept for the activity's thread and rethrown. */
    private void send() {
        try {
            context.heartbeat(latest);
        } catch (ActivityCompletionException e) {
            stopped = e;
            cancelRunning();
            throw e;
        }
    }

    private void cancelRunning() {
        Statement statement = running;
        if (statement == null) {
            return;
        }
        try {
            statement.cancel();
            log.info("activity={} {} cancelled its running statement", context.getInfo().getActivityType(),
                    context.getInfo().getActivityId());
        } catch (SQLException | RuntimeException e) {
            log.warn("activity={} {} could not cancel its running statement: {}", context.getInfo().getActivityType(),
                    context.getInfo().getActivityId(), e.toString());
        }
    }

    private void throwIfStopped() {
        ActivityCompletionException e = stopped;
        if (e != null) {
            throw e;
        }
    }
}
