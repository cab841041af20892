package org.runbooks.jdbc;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The keep-alive heartbeats a blocked activity with its latest checkpoint, and stops when the activity is cancelled.
 * A call that blocks stands for a JDBC statement that cannot heartbeat itself.
 */
class KeepAliveTest {

    /** A heartbeat timeout of 400 ms gives a keep-alive every 100 ms and SDK sends every 320 ms. */
    private static final ActivityOptions SHORT_HEARTBEAT = ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(1))
            .setHeartbeatTimeout(Duration.ofMillis(400))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build();

    @ActivityInterface
    public interface Blocking {
        /** Starts a keep-alive on {@code resumed}, reports {@code progress} (when not null), then blocks. */
        String block(String resumed, String progress, long millis, boolean heartbeatAfter);
    }

    public static class BlockingImpl implements Blocking {
        @Override
        public String block(String resumed, String progress, long millis, boolean heartbeatAfter) {
            try (KeepAlive alive = KeepAlive.start(Activity.getExecutionContext(), resumed)) {
                if (progress != null) {
                    alive.heartbeat(progress);
                }
                Thread.sleep(millis);
                if (heartbeatAfter) {
                    alive.heartbeat("after the block");
                }
                return "done";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private TestActivityEnvironment env;
    private Blocking blocking;
    private final List<String> heartbeats = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        env = TestActivityEnvironment.newInstance();
        env.registerActivitiesImplementations(new BlockingImpl());
        blocking = env.newActivityStub(Blocking.class, SHORT_HEARTBEAT);
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    @Test
    void heartbeatsTheResumedCheckpointWhileACallBlocks() {
        env.setActivityHeartbeatListener(String.class, heartbeats::add);

        assertThat(blocking.block("segment 7", null, 2_000, false)).isEqualTo("done");

        assertThat(heartbeats).as("heartbeats sent during a 2 s call with a 400 ms heartbeat timeout")
                .hasSizeGreaterThanOrEqualTo(3)
                .containsOnly("segment 7");
    }

    @Test
    void keepsSendingTheLatestCheckpointNotTheOneItStartedWith() {
        env.setActivityHeartbeatListener(String.class, heartbeats::add);

        blocking.block("segment 7", "segment 8", 1_500, false);

        assertThat(heartbeats).as("a keep-alive after the new checkpoint must not send the old one again")
                .hasSizeGreaterThanOrEqualTo(3)
                .last().isEqualTo("segment 8");
        assertThat(heartbeats.subList(heartbeats.indexOf("segment 8"), heartbeats.size())).containsOnly("segment 8");
    }

    @Test
    void cancelStopsTheKeepAliveThreadAndEndsTheActivityAsCancelled() throws Exception {
        env.setActivityHeartbeatListener(String.class, details -> env.requestCancelActivity());

        CompletableFuture<Throwable> call = CompletableFuture.supplyAsync(
                () -> catchThrowable(() -> blocking.block("segment 7", null, 4_000, false)));

        awaitNoKeepAliveThread();
        assertThat(call).as("the keep-alive thread stopped while the call still blocked").isNotDone();
        assertThat(call.get(30, TimeUnit.SECONDS)).as("the cancel the keep-alive met, thrown at close")
                .isInstanceOf(CanceledFailure.class);
    }

    @Test
    void cancelSeenByTheActivityItselfIsNotThrownAgainAtClose() {
        env.setActivityHeartbeatListener(String.class, details -> env.requestCancelActivity());

        Throwable thrown = catchThrowable(() -> blocking.block("segment 7", null, 1_500, true));

        // Thrown twice, the same exception would be suppressed into itself and end the attempt as a plain failure.
        assertThat(thrown).isInstanceOf(CanceledFailure.class);
    }

    @Test
    void intervalIsAQuarterOfTheHeartbeatTimeoutWithinBounds() {
        assertThat(KeepAlive.intervalFor(Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(2_500));
        assertThat(KeepAlive.intervalFor(Duration.ofSeconds(30))).isEqualTo(KeepAlive.LONGEST_INTERVAL);
        assertThat(KeepAlive.intervalFor(Duration.ofMillis(200))).isEqualTo(KeepAlive.SHORTEST_INTERVAL);
        assertThat(KeepAlive.intervalFor(Duration.ZERO)).isEqualTo(KeepAlive.LONGEST_INTERVAL);
    }

    /** Waits until a keep-alive thread has started and then ended, at most 3 s. */
    private static void awaitNoKeepAliveThread() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        boolean seen = false;
        while (System.nanoTime() < deadline) {
            boolean running = Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().startsWith("keep-alive Block") && t.isAlive());
            seen |= running;
            if (seen && !running) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(seen ? "the keep-alive thread still runs 3 s after the cancel"
                : "no keep-alive thread was seen");
    }
}
