package org.runbooks.stream;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MariaDB to MariaDB, and PostgreSQL to MariaDB, on the real servers: changes made after the start position, before
 * and during the copy and while the stream runs, all reach the target once; the kill drill loses and doubles nothing.
 */
class MariaDbStreamIT {

    @Test
    void mariaDbWritesAfterTheStartReachTheTargetOnce() throws Exception {
        StreamPair pair = new StreamPair(StreamPair.Kind.MARIADB, StreamPair.Kind.MARIADB, "stream_maria");
        everyWriteArrives(pair, "run-1/maria-stream");
    }

    @Test
    void postgresWritesReachAMariaDbTarget() throws Exception {
        StreamPair pair = new StreamPair(StreamPair.Kind.POSTGRES, StreamPair.Kind.MARIADB, "stream_pg_maria");
        everyWriteArrives(pair, "run-1/pg-to-maria-stream");
    }

    @Test
    void aMariaDbWorkerKilledMidApplyLosesAndDoublesNothing() throws Exception {
        StreamPair pair = new StreamPair(StreamPair.Kind.MARIADB, StreamPair.Kind.MARIADB, "stream_maria_kill");
        StreamKillDrill.Figures figures = StreamKillDrill.run(pair, "run-kill/maria-stream", 5, 43);
        System.out.println("stream kill drill mariadb->mariadb: " + figures);
        assertThat(figures.digestsEqual()).isTrue();
    }

    /**
     * Source and target on one MariaDB server, then the writes stop: the binlog goes quiet (the stream's own apply
     * commits are filtered out), and a caught-up stream must go on reading its lag as 0, not a lag that grows until
     * the next binlog event (issue 15: 13.4 s behind in the live-writes drill).
     */
    @Test
    void aQuietMariaDbSourceKeepsAStreamAtLagZero() throws Exception {
        StreamPair pair = new StreamPair(StreamPair.Kind.MARIADB, StreamPair.Kind.MARIADB, "stream_maria_quiet");
        StreamSpec spec = pair.spec("run-quiet/maria-stream");
        LoadGenerator load = new LoadGenerator(pair, 17);
        load.write(100);
        try (StreamDrill drill = new StreamDrill(pair)) {
            CompletableFuture<StreamRunResult> run = startCopyAndCatchUp(drill, spec, load, 200);
            StreamDrill.await("lag 0", Duration.ofSeconds(30),
                    () -> drill.activities.streamLag(spec).lagSeconds() == 0);
            long quietUntil = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            double worst = 0;
            while (System.nanoTime() < quietUntil) {
                worst = Math.max(worst, drill.activities.streamLag(spec).lagSeconds());
                Thread.sleep(250); // readings over a quiet period: there is nothing to wait for but time
            }
            StreamLag lag = drill.activities.streamLag(spec);
            System.out.printf("quiet mariadb stream: worst lag over 20 s of quiet %s s; now %s s, %d bytes behind "
                    + "(applied %s, source %s)%n", worst, lag.lagSeconds(), lag.bytesBehind(), lag.appliedPosition(),
                    lag.sourcePosition());
            assertThat(worst).as("the lag of a caught-up stream on a quiet source").isZero();
            drill.activities.stopStream(spec);
            run.get(30, TimeUnit.SECONDS);
            drill.activities.dropStream(spec);
        }
    }

    /**
     * A switch freezes the source (triggers: DDL in the binlog), marks its position and waits until the stream has
     * applied it, while the binlog is otherwise quiet. The wait must end as soon as the markers are applied, not at
     * the server's next heartbeat, 4 s later: two markers written in the same millisecond left the row as it was,
     * so the second was not in the binlog and nothing completed the first (the MariaDB switch's catch-up took 4 s).
     */
    @Test
    void aPositionMarkedOnAQuietMariaDbSourceIsAppliedWithoutWaitingForAHeartbeat() throws Exception {
        StreamPair pair = new StreamPair(StreamPair.Kind.MARIADB, StreamPair.Kind.MARIADB, "stream_maria_mark");
        StreamSpec spec = pair.spec("run-mark/maria-stream");
        LoadGenerator load = new LoadGenerator(pair, 18);
        load.write(50);
        try (StreamDrill drill = new StreamDrill(pair)) {
            CompletableFuture<StreamRunResult> run = startCopyAndCatchUp(drill, spec, load, 50);
            long worst = 0;
            for (int round = 0; round < 4; round++) {
                if (round % 2 == 1) {
                    // What a freeze writes to the binlog just before the switch marks its position.
                    pair.execute(StreamPair.LEGACY, "create trigger orders_mark_" + round
                            + " before insert on orders for each row set @runbooks_mark = 1",
                            "drop trigger orders_mark_" + round);
                }
                SourcePosition at = drill.activities.sourcePosition(spec);
                AppliedWait wait = drill.awaitApplied(new AwaitApplied(spec, at.position(), 15_000));
                System.out.printf("marked position round %d: %s (applied %s)%n", round, wait.summary(),
                        wait.lag() == null ? "?" : wait.lag().appliedPosition());
                assertThat(wait.reached()).as(wait.summary()).isTrue();
                worst = Math.max(worst, wait.waitedMillis());
            }
            assertThat(worst).as("the slowest wait for a marked position on a quiet binlog, ms (heartbeat: %d)",
                    new org.runbooks.stream.mariadb.MariaDbStreamSource().quietHeartbeatMillis()).isLessThan(2000);
            drill.activities.stopStream(spec);
            run.get(30, TimeUnit.SECONDS);
            drill.activities.dropStream(spec);
        }
    }

    /**
     * Starts the stream, copies, runs it, makes {@code writes} more writes and waits until the target equals the
     * source; returns the running stream.
     */
    private static CompletableFuture<StreamRunResult> startCopyAndCatchUp(StreamDrill drill, StreamSpec spec,
                                                                          LoadGenerator load, int writes)
            throws InterruptedException {
        StreamPair pair = drill.pair;
        drill.activities.startStream(spec);
        pair.copy();
        CompletableFuture<StreamRunResult> run = drill.run(spec);
        load.write(writes);
        String source = pair.digest(StreamPair.LEGACY);
        StreamDrill.await("target equal to source", Duration.ofSeconds(60), () -> {
            if (run.isDone()) {
                run.join();
            }
            return pair.digest(StreamPair.TARGET).equals(source);
        });
        return run;
    }

    static void everyWriteArrives(StreamPair pair, String streamId) throws Exception {
        StreamSpec spec = pair.spec(streamId);
        LoadGenerator load = new LoadGenerator(pair, 16);
        load.write(300);
        try (StreamDrill drill = new StreamDrill(pair)) {
            StreamStarted started = drill.activities.startStream(spec);
            long before = load.changes();
            load.write(200);
            pair.copy();
            load.write(200);
            CompletableFuture<StreamRunResult> run = drill.run(spec);
            Thread writer = Thread.ofPlatform().start(load);
            load.awaitMoreChanges(300, java.time.Duration.ofMinutes(1));
            load.stop();
            writer.join();
            assertThat(load.failure()).isNull();
            long changes = load.changes() - before;
            String source = pair.digest(StreamPair.LEGACY);
            StreamDrill.await("target equal to source", Duration.ofSeconds(60), () -> {
                if (run.isDone()) {
                    run.join(); // throws what ended the stream
                }
                return pair.digest(StreamPair.TARGET).equals(source);
            });
            StreamDrill.await("lag 0", Duration.ofSeconds(30),
                    () -> drill.activities.streamLag(spec).lagSeconds() == 0);
            StreamLag lag = drill.activities.streamLag(spec);
            assertThat(lag.changesApplied()).as("changes applied, once each").isEqualTo(changes);
            System.out.printf("stream %s: started at %s, %d changes in %d transactions, lag %s s, %d bytes behind%n",
                    streamId, started.startPosition(), changes, load.transactions(), lag.lagSeconds(),
                    lag.bytesBehind());
            drill.activities.stopStream(spec);
            assertThat(run.get(30, TimeUnit.SECONDS).changesApplied()).isEqualTo(changes);
            assertThat(drill.activities.dropStream(spec).dropped()).contains("applied position of " + streamId);
        }
    }
}
