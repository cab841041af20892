package org.runbooks.cutover;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import org.runbooks.flag.FlagActivities;
import org.runbooks.flag.FlagActivitiesImpl;
import org.runbooks.flag.FlagChange;
import org.runbooks.stream.StreamActivities;
import org.runbooks.stream.StreamActivitiesImpl;
import org.runbooks.stream.StreamMetrics;
import org.runbooks.stream.StreamRunResult;
import org.runbooks.stream.StreamSpec;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What the switch ITs share: the stream, cutover and flag activities over a {@link CutoverPair}, each called through
 * its activity stub as a workflow would (heartbeats and all), a running stream on an environment of its own, and the
 * live client.
 */
final class SwitchDrill implements AutoCloseable {

    static final String FLAG = "orders-writes-on-target";

    final CutoverPair pair;
    final StreamActivities streams;
    final CutoverActivities cutover;
    final FlagActivities flags;
    private final StreamActivitiesImpl streamImpl;
    private final TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
    private final List<TestActivityEnvironment> running = new ArrayList<>();
    private int flagChanges;

    SwitchDrill(CutoverPair pair) {
        this.pair = pair;
        streamImpl = new StreamActivitiesImpl(pair.registry, pair.settings::get, StreamMetrics.none(),
                Clock.systemUTC());
        environment.registerActivitiesImplementations(streamImpl, new CutoverActivitiesImpl(pair.registry),
                new FlagActivitiesImpl(pair.registry));
        streams = environment.newActivityStub(StreamActivities.class, options());
        cutover = environment.newActivityStub(CutoverActivities.class, options());
        flags = environment.newActivityStub(FlagActivities.class, options());
    }

    private static ActivityOptions options() {
        return ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(10))
                .setHeartbeatTimeout(Duration.ofSeconds(30))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build();
    }

    /** Runs {@code spec}'s stream as its activity on a thread and an environment of its own. */
    CompletableFuture<StreamRunResult> run(StreamSpec spec) {
        TestActivityEnvironment own = TestActivityEnvironment.newInstance();
        own.registerActivitiesImplementations(streamImpl);
        running.add(own);
        StreamActivities stub = own.newActivityStub(StreamActivities.class, options());
        return CompletableFuture.supplyAsync(() -> stub.runStream(spec));
    }

    /** Points the application's writes at the target ({@code true}) or the source. */
    void writesOnTarget(boolean target) {
        flags.setFlag(new FlagChange("run/flag-" + (++flagChanges), CutoverPair.LEGACY, FLAG, target ? 100 : 0,
                "switch drill"));
    }

    /** A live client reading {@link #FLAG} with a 1 s cache, writing {@code writesPerSecond} (0: flat out). */
    LiveClient client(int writesPerSecond, long seed) {
        return new LiveClient(side -> {
            try {
                return pair.connect(side);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, Map.of(LiveClient.SOURCE, "orders", LiveClient.TARGET, "orders"), CutoverPair.LEGACY, FLAG,
                Duration.ofSeconds(1), writesPerSecond, seed);
    }

    List<String> missingOn(LiveClient client, String side) throws SQLException {
        try (Connection c = pair.connect(side)) {
            return client.missingOn(side, c);
        }
    }

    @Override
    public void close() {
        running.forEach(TestActivityEnvironment::close);
        environment.close();
    }
}
