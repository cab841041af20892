package org.runbooks.stream;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How fast a stream applies a backlog on this machine: changes committed on the source while no stream ran, then
 * the time from the run's start until all are applied (engine start included). Prints one line per pair; asserts
 * only that everything arrives.
 */
class StreamApplyRateIT {

    @Test
    void postgresBacklog() throws Exception {
        measure(new StreamPair(StreamPair.Kind.POSTGRES, StreamPair.Kind.POSTGRES, "stream_rate_pg"), "pg->pg");
    }

    @Test
    void mariaDbBacklog() throws Exception {
        measure(new StreamPair(StreamPair.Kind.MARIADB, StreamPair.Kind.MARIADB, "stream_rate_maria"),
                "mariadb->mariadb");
    }

    private static void measure(StreamPair pair, String name) throws Exception {
        StreamSpec spec = pair.spec("rate/" + name);
        LoadGenerator load = new LoadGenerator(pair, 7);
        load.write(200);
        try (StreamDrill drill = new StreamDrill(pair)) {
            drill.activities.startStream(spec);
            pair.copy();
            long before = load.changes();
            load.write(10_000);
            long changes = load.changes() - before;
            String source = pair.digest(StreamPair.LEGACY);
            long started = System.nanoTime();
            CompletableFuture<StreamRunResult> run = drill.run(spec);
            StreamDrill.await("the backlog applied", Duration.ofSeconds(180), () -> {
                if (run.isDone()) {
                    run.join();
                }
                return drill.activities.streamLag(spec).changesApplied() >= changes;
            });
            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat(pair.digest(StreamPair.TARGET)).isEqualTo(source);
            System.out.printf("stream apply rate %s: %d changes in %.1f s = %.0f changes/s (engine start included)%n",
                    name, changes, seconds, changes / seconds);
            drill.activities.stopStream(spec);
            run.get(30, TimeUnit.SECONDS);
            drill.activities.dropStream(spec);
        }
    }
}
