package org.runbooks.stream;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What stops a PostgreSQL stream with a clear, non-retryable error: a table without a key, before anything is
 * created; a column added to the streamed table while the stream runs, before any row of the new shape is applied.
 * And a cancelled run closes its engine, so the next run takes the slot over and resumes where it stopped.
 */
class PgStreamChecksIT {

    @Test
    void aTableWithoutAKeyIsRefusedBeforeASlotIsCreated() {
        StreamPair pair = new StreamPair(StreamPair.Kind.POSTGRES, StreamPair.Kind.POSTGRES, "stream_pg_nokey");
        pair.execute(StreamPair.LEGACY, "create table nokey (id bigint, v text)");
        pair.execute(StreamPair.TARGET, "create table nokey (id bigint, v text)");
        StreamSpec spec = new StreamSpec("run-nokey/s", StreamPair.LEGACY, "nokey", StreamPair.TARGET, "nokey",
                java.util.List.of("id"));
        try (StreamDrill drill = new StreamDrill(pair)) {
            assertThatThrownBy(() -> drill.activities.startStream(spec))
                    .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
                        assertThat(f.getType()).isEqualTo(StreamNotPossibleException.TYPE);
                        assertThat(f.isNonRetryable()).isTrue();
                        assertThat(f.getOriginalMessage()).contains("has no primary key");
                    });
            assertThat(pair.scalar(StreamPair.LEGACY, "select count(*) from pg_replication_slots where slot_name = '"
                    + StreamNames.of(spec.streamId()).slot() + "'")).isEqualTo("0");
        }
    }

    @Test
    void aColumnAddedWhileStreamingStopsTheStreamAsASchemaChange() throws Exception {
        StreamPair pair = new StreamPair(StreamPair.Kind.POSTGRES, StreamPair.Kind.POSTGRES, "stream_pg_ddl");
        StreamSpec spec = pair.spec("run-ddl/orders-stream");
        try (StreamDrill drill = new StreamDrill(pair)) {
            drill.activities.startStream(spec);
            pair.execute(StreamPair.LEGACY, "insert into orders (id, version) values (1, 1)");
            CompletableFuture<StreamRunResult> run = drill.run(spec);
            StreamDrill.await("the first row", Duration.ofSeconds(60), () -> pair.count(StreamPair.TARGET) == 1);
            pair.execute(StreamPair.LEGACY, "alter table orders add column extra int",
                    "insert into orders (id, version, extra) values (2, 1, 7)");
            assertThatThrownBy(() -> run.get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(ActivityFailure.class)
                    .satisfies(e -> {
                        ApplicationFailure f = (ApplicationFailure) e.getCause().getCause();
                        assertThat(f.getType()).isEqualTo(StreamSchemaChangedException.TYPE);
                        assertThat(f.getOriginalMessage()).contains("extra");
                    });
            assertThat(pair.count(StreamPair.TARGET)).as("the row of the new shape is not applied").isEqualTo(1);
            assertThat(drill.activities.dropStream(spec).dropped()).hasSize(3);
        }
    }

    @Test
    void aCancelledRunLetsGoOfTheSlotAndTheNextRunResumes() throws Exception {
        StreamPair pair = new StreamPair(StreamPair.Kind.POSTGRES, StreamPair.Kind.POSTGRES, "stream_pg_cancel");
        StreamSpec spec = pair.spec("run-cancel/orders-stream");
        LoadGenerator load = new LoadGenerator(pair, 3);
        try (StreamDrill drill = new StreamDrill(pair)) {
            drill.activities.startStream(spec);
            load.write(200);
            CompletableFuture<StreamRunResult> run = drill.run(spec);
            StreamDrill.await("some changes applied", Duration.ofSeconds(60),
                    () -> drill.activities.streamLag(spec).changesApplied() > 0);
            drill.cancel();
            assertThatThrownBy(() -> run.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            StreamDrill.await("the slot let go", Duration.ofSeconds(30), () -> "f".equals(pair.scalar(
                    StreamPair.LEGACY, "select active from pg_replication_slots where slot_name = '"
                            + StreamNames.of(spec.streamId()).slot() + "'")));
            load.write(200);
            String source = pair.digest(StreamPair.LEGACY);
            try (StreamDrill other = new StreamDrill(pair)) { // another worker, as a retry would find
                CompletableFuture<StreamRunResult> again = other.run(spec);
                StreamDrill.await("the next run caught up", Duration.ofSeconds(60), () -> {
                    if (again.isDone()) {
                        again.join();
                    }
                    return other.activities.streamLag(spec).changesApplied() == load.changes()
                            && pair.digest(StreamPair.TARGET).equals(source);
                });
                other.activities.stopStream(spec);
                assertThat(again.get(30, TimeUnit.SECONDS).changesApplied()).isEqualTo(load.changes());
            }
            drill.activities.dropStream(spec);
        }
    }
}
