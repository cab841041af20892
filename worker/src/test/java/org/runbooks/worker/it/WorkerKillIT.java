package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;


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
        Awaits.targetSql(dbs, "select to_regclass('runbook_copy_chunks')::text", v -> v != null);
        Awaits.targetSql(dbs, copyKeyChunks, v -> Long.parseLong(v) >= 3);
        first.kill();
        long chunksAtKill = Long.parseLong(dbs.scalar(dbs.targetUrl, copyKeyChunks));
        assertThat(chunksAtKill).as("killed mid-copy, not after it").isLessThan(ROWS / 10_000);
        assertThat(Long.parseLong(dbs.scalar(dbs.targetUrl, "select coalesce(sum(row_count), 0) from"
                + " runbook_copy_chunks"))).as("killed mid-copy: fast chunks grow, so count rows").isLessThan(ROWS);

        try (WorkerProcess ignored = WorkerProcess.start(services, dbs.legacyUrl, dbs.targetUrl, "worker-kill-2.log")) {
            JsonNode waiting = Awaits.state(temporal, "AWAITING_APPROVAL");
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
}
