package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills the worker process with SIGKILL in the middle of a backfill, starts a new one, and checks that the runbook
 * finishes by itself with target == source and no chunk written twice.
 */
class WorkerKillIT {

    private static final int ROWS = 300_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void killedWorkerMidBackfillLosesNothingAndWritesNothingTwice() throws Exception {
        TestServices services = TestServices.get();
        TemporalCli temporal = new TemporalCli(services);
        OrdersDatabases dbs = new OrdersDatabases(services, "kill_backfill", ROWS);
        String copyKeyChunks = "select count(*) from runbook_copy_chunks";

        WorkerProcess first = WorkerProcess.start(services, dbs.legacyUrl, dbs.targetUrl, "worker-kill-1.log");
        temporal.run(OrdersToV2EndToEndIT.START);
        awaitChunks(dbs, copyKeyChunks, 3);
        first.kill();
        long chunksAtKill = Long.parseLong(dbs.scalar(dbs.targetUrl, copyKeyChunks));
        assertThat(chunksAtKill).as("killed mid-copy, not after it").isLessThan(ROWS / 10_000);

        try (WorkerProcess ignored = WorkerProcess.start(services, dbs.legacyUrl, dbs.targetUrl, "worker-kill-2.log")) {
            JsonNode waiting = awaitGate(temporal);
            assertThat(waiting.at("/rowsCopied").asLong()).isEqualTo(ROWS);
            temporal.run(OrdersToV2EndToEndIT.APPROVE);
            assertThat(JSON.readTree(temporal.run(OrdersToV2EndToEndIT.RESULT)).at("/result/outcome").asText())
                    .isEqualTo("COMPLETED");
        }

        assertThat(dbs.targetChecksum()).isEqualTo(dbs.legacyChecksum());
        assertThat(dbs.targetRows()).isEqualTo(ROWS);
        // Every chunk has one audit row; a chunk redone after the kill would add rows past the source's count.
        assertThat(dbs.scalar(dbs.targetUrl, "select sum(row_count) from runbook_copy_chunks")).isEqualTo(
                String.valueOf(ROWS));
        assertThat(dbs.scalar(dbs.targetUrl, "select count(*) = count(distinct chunk_no) from runbook_copy_chunks"))
                .isEqualTo("t");
    }

    private static void awaitChunks(OrdersDatabases dbs, String sql, long chunks) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            String exists = dbs.scalar(dbs.targetUrl, "select to_regclass('runbook_copy_chunks')::text");
            if (exists != null && Long.parseLong(dbs.scalar(dbs.targetUrl, sql)) >= chunks) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the backfill never wrote " + chunks + " chunks");
    }

    private static JsonNode awaitGate(TemporalCli temporal) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            TemporalCli.Result query = temporal.tryRun(OrdersToV2EndToEndIT.STATUS + " --output json");
            last = query.output();
            if (query.exitCode() == 0) {
                JsonNode status = JSON.readTree(query.output()).at("/queryResult/0");
                if ("AWAITING_APPROVAL".equals(status.at("/state").asText())) {
                    return status;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the runbook did not reach its gate after the restart; last status: " + last);
    }
}
