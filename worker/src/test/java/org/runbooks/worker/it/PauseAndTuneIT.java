package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steers a running runbook's backfill with the commands README documents: tune the chunk size and rate, pause, check
 * that no chunk is written while paused, resume, and finish with target == source.
 */
class PauseAndTuneIT {

    /** A run that failed half-way must not leave {@code orders-to-v2} open for the next test that starts it. */
    @AfterEach
    void endTheRunbook() {
        new TemporalCli(TestServices.get()).tryRun(
                "temporal workflow terminate --workflow-id orders-to-v2 --reason test-ended");
    }

    static final String TUNE = "temporal workflow update execute --workflow-id orders-to-v2 --name tune"
            + " --input '{\"by\":\"carol\",\"chunkRows\":5000,\"rowsPerSecond\":20000}'";
    static final String PAUSE = "temporal workflow signal --workflow-id orders-to-v2 --name pause"
            + " --input '{\"by\":\"carol\",\"reason\":\"replica lag above 5s\"}'";
    static final String RESUME = "temporal workflow signal --workflow-id orders-to-v2 --name resume"
            + " --input '{\"by\":\"carol\",\"reason\":\"lag back under 1s\"}'";

    private static final int ROWS = 1_000_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHUNKS = "select count(*) from runbook_copy_chunks";

    @Test
    void tunedAndPausedBackfillWritesNothingWhilePausedAndEndsEqual() throws Exception {
        TestServices services = TestServices.get();
        TemporalCli temporal = new TemporalCli(services);
        OrdersDatabases dbs = new OrdersDatabases(services, "pause_tune", ROWS);
        try (RunningWorker ignored = RunningWorker.start(services, dbs.legacyUrl, dbs.targetUrl)) {
            temporal.run(OrdersToV2EndToEndIT.START);
            // Tuned at once: an unpaced copy's chunks grow while fast, so 1,000,000 rows may all be copied in the
            // time a tune takes to arrive once the copy has begun. The tune holds for the whole copy from here.
            JsonNode knobs = JSON.readTree(temporal.run(TUNE + " --output json"));
            assertThat(knobs.toString()).contains("\"chunkRows\":5000").contains("\"rowsPerSecond\":20000");
            Awaits.targetSql(dbs, "select to_regclass('runbook_copy_chunks')::text", v -> v != null);
            Awaits.targetSql(dbs, "select count(*) from runbook_copy_chunks where row_count = 5000", v -> Long.parseLong(v) > 0);

            temporal.run(PAUSE);
            Awaits.status(temporal, s -> s.at("/state").asText().equals("PAUSED"));
            String atPause = awaitStable(dbs);
            long rowsAtPause = Long.parseLong(dbs.scalar(dbs.targetUrl, "select sum(row_count) from runbook_copy_chunks"));
            assertThat(rowsAtPause).as("paused before the copy finished").isLessThan(ROWS);
            assertThat(dbs.targetRows()).as("nothing half-written: the target holds whole chunks only")
                    .isEqualTo(rowsAtPause);
            JsonNode paused = Awaits.status(temporal, s -> true);
            assertThat(paused.at("/knobs/pauseReason").asText()).isEqualTo("replica lag above 5s");

            temporal.run(RESUME);
            Awaits.targetSql(dbs, CHUNKS, v -> Long.parseLong(v) > Long.parseLong(atPause));
            Awaits.status(temporal, s -> s.at("/state").asText().equals("AWAITING_APPROVAL"));
            temporal.run(OrdersToV2EndToEndIT.APPROVE);
            assertThat(JSON.readTree(temporal.run(OrdersToV2EndToEndIT.RESULT)).at("/result/outcome").asText())
                    .isEqualTo("COMPLETED");
        }
        assertThat(dbs.targetChecksum()).isEqualTo(dbs.legacyChecksum());
        assertThat(dbs.scalar(dbs.targetUrl, "select sum(row_count) from runbook_copy_chunks"))
                .isEqualTo(String.valueOf(ROWS));
    }

    /** The chunk count once it has stopped moving for three seconds: the pause has reached the copy. */
    private static String awaitStable(OrdersDatabases dbs) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        String last = dbs.scalar(dbs.targetUrl, CHUNKS);
        Instant stableSince = Instant.now();
        while (Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
            String now = dbs.scalar(dbs.targetUrl, CHUNKS);
            if (!now.equals(last)) {
                last = now;
                stableSince = Instant.now();
            } else if (Duration.between(stableSince, Instant.now()).toSeconds() >= 3) {
                return now;
            }
        }
        throw new AssertionError("chunks kept being written after the pause");
    }
}
