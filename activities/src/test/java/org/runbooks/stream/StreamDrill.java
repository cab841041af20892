package org.runbooks.stream;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** What the stream ITs share: the activities over a {@link StreamPair}, a running stream, waiting with a deadline. */
final class StreamDrill implements AutoCloseable {

    final StreamPair pair;
    final StreamActivitiesImpl activities;
    private final TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
    private final StreamActivities stub;
    /** A second environment for the calls made while {@link #run} holds the first. */
    private final TestActivityEnvironment waits = TestActivityEnvironment.newInstance();
    private final StreamActivities waitStub;

    StreamDrill(StreamPair pair) {
        this.pair = pair;
        this.activities = new StreamActivitiesImpl(pair.registry, pair.settings::get, StreamMetrics.none(),
                Clock.systemUTC());
        environment.registerActivitiesImplementations(activities);
        stub = environment.newActivityStub(StreamActivities.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(10))
                .setHeartbeatTimeout(Duration.ofSeconds(30))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
        waits.registerActivitiesImplementations(activities);
        waitStub = waits.newActivityStub(StreamActivities.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(2))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
    }

    /** {@link StreamActivities#awaitApplied} as an activity (it heartbeats), while the stream runs. */
    AppliedWait awaitApplied(AwaitApplied request) {
        return waitStub.awaitApplied(request);
    }

    /** Runs the stream as its activity, heartbeats and all, on a thread of its own. */
    CompletableFuture<StreamRunResult> run(StreamSpec spec) {
        return CompletableFuture.supplyAsync(() -> stub.runStream(spec));
    }

    /** Cancels the running activity, as a workflow's cancel would: its next heartbeat learns it. */
    void cancel() {
        environment.requestCancelActivity();
    }

    /** Polls {@code condition} every 100 ms until it holds, failing with {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s for %s", timeout, what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        waits.close();
        environment.close();
    }
}
