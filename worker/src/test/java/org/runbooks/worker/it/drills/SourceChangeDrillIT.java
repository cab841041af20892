package org.runbooks.worker.it.drills;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.runbooks.worker.it.OrdersDatabases;
import org.runbooks.worker.it.ScenarioRun;
import org.runbooks.worker.it.TemporalCli;
import org.runbooks.worker.it.TestServices;
import org.runbooks.worker.it.WorkerProcess;

import java.sql.Connection;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Updates and deletes source rows that the copy has already passed, while it runs: the copy cannot see them, so the
 * validation after it must report the divergence, never pass silently. Without {@code repair} the runbook stops and
 * rolls back; with {@code repair: true} the validation re-copies exactly the keys that differ, validates again, and
 * the runbook completes with target == source.
 */
@ExtendWith(DrillReport.Watcher.class)
class SourceChangeDrillIT {

    private static final int CHUNK_ROWS = 5_000;
    private static final String REPAIRING = "worker/src/test/resources/drill-runbooks/throttled-orders-repair.yaml";

    private final DrillSize size = DrillSize.current();
    private final TestServices services = TestServices.get();
    private final TemporalCli temporal = new TemporalCli(services);

    @Test
    @DisplayName("source-change")
    void rowsChangedBehindTheCopyFailTheValidation() throws Exception {
        int rows = size.pick(60_000, 1_000_000);
        OrdersDatabases dbs = new OrdersDatabases(services, "drill_source_change", rows);
        Changed changed = changeBehindTheCopy(dbs, rows, "drill-source-change", ServerRestartDrillIT.THROTTLED);
        JsonNode result = changed.result();
        JsonNode parity = result.at("/result/evidence/0");
        assertThat(result.at("/result/outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(result.at("/result/reason").asText()).contains("validation parity failed");
        assertThat(parity.at("/passed").asBoolean()).isFalse();
        assertThat(parity.at("/sourceRows").asLong()).isEqualTo(rows - changed.deleted());
        assertThat(parity.at("/targetRows").asLong()).isEqualTo(rows);
        assertThat(parity.at("/sourceChecksum").asText()).isNotEqualTo(parity.at("/targetChecksum").asText());
        DrillReport.passed("source-change", size, changed.describe(rows), "validation FAILED as it must: rows "
                + DrillReport.count(parity.at("/sourceRows").asLong()) + " source vs "
                + DrillReport.count(parity.at("/targetRows").asLong()) + " target, checksums differ; outcome "
                + result.at("/result/outcome").asText() + " (\"" + result.at("/result/reason").asText() + "\")");
    }

    @Test
    @DisplayName("source-change-repair")
    void rowsChangedBehindTheCopyAreFoundAndRepairedByKey() throws Exception {
        int rows = size.pick(60_000, 1_000_000);
        OrdersDatabases dbs = new OrdersDatabases(services, "drill_source_repair", rows);
        Changed changed = changeBehindTheCopy(dbs, rows, "drill-source-repair", REPAIRING);
        JsonNode result = changed.result();
        JsonNode parity = result.at("/result/evidence/0");
        JsonNode rounds = parity.at("/repair/rounds");
        long found = 0;
        long upserted = 0;
        long deleted = 0;
        for (JsonNode round : rounds) {
            found += round.at("/found/changed").size() + round.at("/found/extra").size()
                    + round.at("/found/missing").size();
            upserted += round.at("/repaired/upserted").asLong();
            deleted += round.at("/repaired/deleted").asLong();
        }
        assertThat(result.at("/result/outcome").asText()).as(result.toString()).isEqualTo("COMPLETED");
        assertThat(parity.at("/passed").asBoolean()).as("the verdict after the repair").isTrue();
        assertThat(parity.at("/repair/closed").asBoolean()).isTrue();
        assertThat(upserted).as("changed rows re-copied").isEqualTo(changed.updated());
        assertThat(deleted).as("rows deleted at the source removed from the target").isEqualTo(changed.deleted());
        assertThat(dbs.targetChecksum()).as("target md5 == source md5").isEqualTo(dbs.legacyChecksum());
        assertThat(dbs.targetRows()).isEqualTo(rows - changed.deleted());
        DrillReport.passed("source-change-repair", size, changed.describe(rows), "validation found "
                + DrillReport.count(found) + " keys in " + rounds.size() + " round(s), re-copied "
                + DrillReport.count(upserted) + " and deleted " + DrillReport.count(deleted)
                + ", passed on validating again; COMPLETED, target md5 == source md5, "
                + DrillReport.count(dbs.targetRows()) + " rows");
    }

    /** Starts {@code file}, changes rows the copy has passed once two chunks are in, and returns the runbook's end. */
    private Changed changeBehindTheCopy(OrdersDatabases dbs, int rows, String id, String file) throws Exception {
        ScenarioRun run = ScenarioRun.ofFile(temporal, id, file);
        try (WorkerProcess ignored = WorkerProcess.start(
                WorkerProcess.Settings.of(services, dbs.legacyUrl, dbs.targetUrl), id + "-worker.log")) {
            run.start();
            Progress.awaitChunks(dbs, 2);
            long copiedUpTo = Long.parseLong(dbs.scalar(dbs.targetUrl, "select max(id) from orders_v2"));
            int updated;
            int deleted;
            try (Connection c = services.connect(dbs.legacyUrl); Statement st = c.createStatement()) {
                updated = st.executeUpdate("update orders set amount = amount + 1, note = 'changed during the copy'"
                        + " where id <= " + copiedUpTo + " and id % 100 = 0");
                deleted = st.executeUpdate("delete from orders where id <= " + copiedUpTo + " and id % 250 = 7");
            }
            long chunksAfterChange = Progress.chunks(dbs);
            assertThat(chunksAfterChange * CHUNK_ROWS).as("the source changed while the copy ran").isLessThan(rows);
            assertThat(updated).isPositive();
            assertThat(deleted).isPositive();
            return new Changed(copiedUpTo, updated, deleted, run.result());
        } finally {
            run.terminateIfOpen();
        }
    }

    /** What changed behind the copy, and how the runbook ended. */
    private record Changed(long copiedUpTo, int updated, int deleted, JsonNode result) {

        String describe(int rows) {
            return DrillReport.count(rows) + " rows; " + DrillReport.count(updated) + " updated and "
                    + DrillReport.count(deleted) + " deleted at the source behind the copy (keys <= "
                    + DrillReport.count(copiedUpTo) + ") while it ran";
        }
    }
}
