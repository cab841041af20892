package org.runbooks.stream;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL to PostgreSQL on the real server: changes made after the start position, before and during the copy
 * and while the stream runs, all reach the target once; the stream's compensation drops its slot and publication.
 */
class PgToPgStreamIT {

    @Test
    void everyWriteAfterTheStartReachesTheTargetOnceAndTheDropRemovesTheSlot() throws Exception {
        StreamPair pair = new StreamPair(StreamPair.Kind.POSTGRES, StreamPair.Kind.POSTGRES, "stream_pg");
        StreamSpec spec = pair.spec("run-1/orders-stream");
        LoadGenerator load = new LoadGenerator(pair, 15);
        load.write(300); // rows that exist before the stream starts
        try (StreamDrill drill = new StreamDrill(pair)) {
            StreamStarted started = drill.activities.startStream(spec);
            assertThat(started.slot()).startsWith("runbooks_");
            assertThat(pair.scalar(StreamPair.LEGACY, "select count(*) from pg_replication_slots where slot_name = '"
                    + started.slot() + "'")).isEqualTo("1");
            assertThat(drill.activities.startStream(spec)).as("a second start returns the first").isEqualTo(started);

            long before = load.changes();
            load.write(200); // after the start, before the copy reads them
            pair.copy();
            pair.resetCounter();
            load.write(200); // after the copy, before the stream runs
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
            assertThat(pair.count(StreamPair.TARGET)).isEqualTo(pair.count(StreamPair.LEGACY));
            System.out.printf("stream pg->pg: %d changes in %d transactions, lag %s s, %d bytes behind, "
                    + "%d retained%n", changes, load.transactions(), lag.lagSeconds(), lag.bytesBehind(),
                    lag.retainedBytes());

            drill.activities.stopStream(spec);
            StreamRunResult result = run.get(30, TimeUnit.SECONDS);
            assertThat(result.stoppedBecause()).isEqualTo("stop requested");
            assertThat(result.changesApplied()).isEqualTo(changes);

            StreamDropped dropped = drill.activities.dropStream(spec);
            assertThat(dropped.dropped()).containsExactly("replication slot " + started.slot(),
                    "publication " + started.publication(), "applied position of " + spec.streamId());
            assertThat(pair.scalar(StreamPair.LEGACY, "select count(*) from pg_replication_slots where slot_name = '"
                    + started.slot() + "'")).isEqualTo("0");
            assertThat(pair.scalar(StreamPair.LEGACY, "select count(*) from pg_publication where pubname = '"
                    + started.publication() + "'")).isEqualTo("0");
            assertThat(drill.activities.dropStream(spec).dropped()).as("dropping twice drops nothing").isEmpty();
        }
    }

    @Test
    void aUniqueValueMovedToAnotherRowAndBackWithinOneBatchStillApplies() throws Exception {
        StreamPair pair = new StreamPair(StreamPair.Kind.POSTGRES, StreamPair.Kind.POSTGRES, "stream_pg_unique");
        for (String side : new String[] {StreamPair.LEGACY, StreamPair.TARGET}) {
            pair.execute(side, "create unique index orders_note on orders (note)");
        }
        pair.execute(StreamPair.LEGACY, "insert into orders (id, version, note) values (1, 1, 'x1'), (2, 1, 'x2')");
        StreamSpec spec = pair.spec("run-unique/orders-stream");
        try (StreamDrill drill = new StreamDrill(pair)) {
            drill.activities.startStream(spec);
            pair.copy();
            // One transaction, read as one batch: row 1 lets go of 'x1', row 2 takes it, row 1 takes 'x2'. With
            // row 1's state in between skipped, row 2 would take 'x1' while row 1 still held it on the target.
            pair.execute(StreamPair.LEGACY, "begin", "update orders set note = 'x3', version = 2 where id = 1",
                    "update orders set note = 'x1', version = 2 where id = 2",
                    "update orders set note = 'x2', version = 3 where id = 1", "commit");
            String source = pair.digest(StreamPair.LEGACY);
            CompletableFuture<StreamRunResult> run = drill.run(spec);
            StreamDrill.await("target equal to source", Duration.ofSeconds(60), () -> {
                if (run.isDone()) {
                    run.join(); // throws what ended the stream
                }
                return pair.digest(StreamPair.TARGET).equals(source);
            });
            assertThat(drill.activities.streamLag(spec).changesApplied()).isEqualTo(3);
            drill.activities.stopStream(spec);
            assertThat(run.get(30, TimeUnit.SECONDS).stoppedBecause()).isEqualTo("stop requested");
            drill.activities.dropStream(spec);
        }
    }
}
