package org.runbooks.stream;

import org.runbooks.jdbc.connect.ConnectionSettings;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kill drill shared by the PostgreSQL and MariaDB ITs: a load generator writes to the source the whole time
 * while the stream's worker, a process of its own, is SIGKILLed at random moments, mid-apply as often as not, and
 * started again. After writes stop and the stream catches up: the target equals the source by a digest computed
 * in the test, the applied count equals the row changes the source committed since the start, and the target's
 * trigger saw no row state written twice, so no change was lost or applied twice.
 */
final class StreamKillDrill {

    /** One line of figures: what the drill did and measured. */
    record Figures(long changes, long transactions, int kills, long slowestResumeMillis, double finalLag,
                   boolean digestsEqual, long catchUpMillis) {
    }

    static Figures run(StreamPair pair, String streamId, int kills, long seed) throws Exception {
        StreamSpec spec = pair.spec(streamId);
        LoadGenerator load = new LoadGenerator(pair, seed);
        load.write(300);
        Random random = new Random(seed);
        long slowestResume = 0;
        try (StreamDrill drill = new StreamDrill(pair)) {
            drill.activities.startStream(spec);
            pair.copy();
            pair.resetCounter();
            long before = load.changes();
            Thread writer = Thread.ofPlatform().start(load);
            Process worker = null;
            try {
                for (int k = 0; k < kills; k++) {
                    long applied = applied(drill, spec);
                    long spawned = System.nanoTime();
                    worker = spawn(pair, streamId);
                    long resumed = awaitProgress(drill, spec, applied, worker);
                    slowestResume = Math.max(slowestResume, (resumed - spawned) / 1_000_000);
                    Thread.sleep(500 + random.nextInt(2500));
                    worker.destroyForcibly().waitFor(); // SIGKILL: no orderly close of engine or connections
                }
                load.stop();
                writer.join();
                assertThat(load.failure()).isNull();
                long changes = load.changes() - before;
                String source = pair.digest(StreamPair.LEGACY);
                long catchUpStarted = System.nanoTime();
                worker = spawn(pair, streamId);
                Process last = worker;
                long[] reported = {System.nanoTime()};
                StreamDrill.await("the stream to catch up after " + kills + " kills", Duration.ofSeconds(180), () -> {
                    if (!last.isAlive()) {
                        throw new AssertionError("the worker died: " + output(last));
                    }
                    long applied = applied(drill, spec);
                    if (System.nanoTime() - reported[0] > 10_000_000_000L) {
                        reported[0] = System.nanoTime();
                        System.out.printf("catching up: %d of %d changes applied, %d rows of %d%n", applied, changes,
                                pair.count(StreamPair.TARGET), pair.count(StreamPair.LEGACY));
                    }
                    return applied >= changes && pair.digest(StreamPair.TARGET).equals(source);
                });
                long catchUp = (System.nanoTime() - catchUpStarted) / 1_000_000;
                StreamDrill.await("lag 0", Duration.ofSeconds(30),
                        () -> drill.activities.streamLag(spec).lagSeconds() == 0);
                StreamLag lag = drill.activities.streamLag(spec);
                assertThat(lag.changesApplied()).as("changes applied (none lost, none twice)").isEqualTo(changes);
                assertThat(pair.statesWrittenTwice()).as("row states the target's trigger saw written twice").isZero();
                assertThat(pair.counted()).as("rows the target's trigger saw written (superseded changes of a batch "
                        + "are skipped)").isPositive().isLessThanOrEqualTo(changes);
                worker.destroyForcibly().waitFor();
                StreamDropped dropped = drill.activities.dropStream(spec);
                assertThat(dropped.dropped()).contains("applied position of " + streamId);
                return new Figures(changes, load.transactions(), kills, slowestResume, lag.lagSeconds(), true,
                        catchUp);
            } finally {
                load.stop();
                if (worker != null) {
                    worker.destroyForcibly().waitFor();
                }
            }
        }
    }

    private static long applied(StreamDrill drill, StreamSpec spec) {
        return drill.activities.streamLag(spec).changesApplied();
    }

    /** Waits until the worker has committed a batch beyond {@code applied}; returns when (nanoTime). */
    private static long awaitProgress(StreamDrill drill, StreamSpec spec, long applied, Process worker)
            throws InterruptedException {
        StreamDrill.await("the restarted worker to apply", Duration.ofSeconds(60), () -> {
            if (!worker.isAlive()) {
                throw new AssertionError("the worker died: " + output(worker));
            }
            return applied(drill, spec) > applied;
        });
        return System.nanoTime();
    }

    private static final List<Path> LOGS = new ArrayList<>();

    private static Process spawn(StreamPair pair, String streamId) throws IOException {
        ConnectionSettings s = pair.settings.get(StreamPair.LEGACY);
        ConnectionSettings t = pair.settings.get(StreamPair.TARGET);
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path log = Files.createTempFile("stream-worker", ".log");
        LOGS.add(log);
        return new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp", classpath,
                StreamEngineMain.class.getName(), streamId, s.url(), s.user(), String.valueOf(s.password()), t.url(),
                t.user(), String.valueOf(t.password()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static String output(Process worker) {
        try {
            Path log = LOGS.get(LOGS.size() - 1);
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private StreamKillDrill() {
    }
}
