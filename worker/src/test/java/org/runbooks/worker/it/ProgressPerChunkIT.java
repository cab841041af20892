package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On the real worker, {@code status} shows a slow copy's progress moving while one slice runs, not only when a slice
 * ends, and never more rows than the target has committed. The copy is tuned to 1,000 rows a second in chunks of
 * 1,000, so a slice runs its whole 20 s budget; for 12 s of it no slice ends, and status moves several times. The
 * run's histories are replayed and kept for the replay corpus (label {@code v10-progress}).
 */
class ProgressPerChunkIT {

    private static final String SLOW = "temporal workflow update execute --workflow-id orders-to-v2 --name tune"
            + " --input '{\"by\":\"carol\",\"chunkRows\":1000,\"rowsPerSecond\":1000}'";
    private static final String FAST = "temporal workflow update execute --workflow-id orders-to-v2 --name tune"
            + " --input '{\"by\":\"carol\",\"chunkRows\":10000,\"rowsPerSecond\":100000}'";
    private static final String SLICES_ENDED = "temporal workflow show --workflow-id orders-to-v2/backfill --output json";
    private static final int ROWS = 200_000;
    private static final Duration WATCH = Duration.ofSeconds(12);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void statusMovesWithCommittedChunksWhileASliceRunsAndNeverAheadOfTheTarget() throws Exception {
        TestServices services = TestServices.get();
        TemporalCli temporal = new TemporalCli(services);
        OrdersDatabases dbs = new OrdersDatabases(services, "progress_chunks", ROWS);
        try (RunningWorker ignored = RunningWorker.start(services, dbs.legacyUrl, dbs.targetUrl)) {
            temporal.run(OrdersToV2EndToEndIT.START);
            temporal.run(PauseAndTuneIT.PAUSE);
            Awaits.status(temporal, s -> s.at("/state").asText().equals("PAUSED"));
            temporal.run(SLOW);
            temporal.run(PauseAndTuneIT.RESUME);
            Awaits.status(temporal, s -> s.at("/state").asText().equals("RUNNING"));
            // The resumed slice's first chunk.
            long before = Awaits.status(temporal, s -> s.at("/progress/rowsDone").asLong() > 0)
                    .at("/progress/rowsDone").asLong();
            int slicesEnded = slicesEnded(temporal);

            List<Long> seen = new ArrayList<>();
            Instant until = Instant.now().plus(WATCH);
            while (Instant.now().isBefore(until)) {
                long rowsDone = Awaits.status(temporal, s -> true).at("/progress/rowsDone").asLong();
                long committed = Long.parseLong(dbs.scalar(dbs.targetUrl,
                        "select coalesce(sum(row_count), 0) from runbook_copy_chunks"));
                assertThat(rowsDone).as("status never shows more than the target committed").isLessThanOrEqualTo(committed);
                // Each sample is a CLI query and a SQL query, a few hundred milliseconds: no pause needed between.
                if (seen.isEmpty() || seen.get(seen.size() - 1) != rowsDone) {
                    seen.add(rowsDone);
                }
            }

            assertThat(slicesEnded(temporal)).as("slices ended while status was watched").isEqualTo(slicesEnded);
            assertThat(seen).as("rows done as status showed them during one slice, from " + before)
                    .hasSizeGreaterThanOrEqualTo(4).isSorted();

            temporal.run(FAST);
            Awaits.status(temporal, s -> s.at("/state").asText().equals("AWAITING_APPROVAL"));
            temporal.run(OrdersToV2EndToEndIT.APPROVE);
            JsonNode result = JSON.readTree(temporal.run(OrdersToV2EndToEndIT.RESULT));
            assertThat(result.at("/result/outcome").asText()).isEqualTo("COMPLETED");
            assertThat(result.at("/result/rowsCopied").asLong()).isEqualTo(ROWS);
            Histories.replayAndKeep(temporal, services, "v10-progress", "orders-to-v2",
                    List.of("backfill", "validate", "gate", "cutover"));
        }
        assertThat(dbs.targetChecksum()).isEqualTo(dbs.legacyChecksum());
    }

    /** How many activities the backfill phase has seen complete: slices (and the plan) that ended. */
    private static int slicesEnded(TemporalCli temporal) throws Exception {
        JsonNode events = JSON.readTree(temporal.run(SLICES_ENDED)).at("/events");
        int ended = 0;
        for (JsonNode event : events) {
            String type = event.at("/eventType").asText();
            if (type.contains("ACTIVITY_TASK_COMPLETED") || type.contains("ACTIVITY_TASK_FAILED")
                    || type.contains("ACTIVITY_TASK_CANCELED") || type.contains("ActivityTaskCompleted")
                    || type.contains("ActivityTaskFailed") || type.contains("ActivityTaskCanceled")) {
                ended++;
            }
        }
        return ended;
    }
}
