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
 * validation after it must report the divergence and stop the runbook, never pass silently. (Repairing the
 * divergence is other work; this drill holds detection.)
 */
@ExtendWith(DrillReport.Watcher.class)
class SourceChangeDrillIT {

    private static final int CHUNK_ROWS = 5_000;

    private final DrillSize size = DrillSize.current();
    private final TestServices services = TestServices.get();
    private final TemporalCli temporal = new TemporalCli(services);

    @Test
    @DisplayName("source-change")
    void rowsChangedBehindTheCopyFailTheValidation() throws Exception {
        int rows = size.pick(60_000, 1_000_000);
        OrdersDatabases dbs = new OrdersDatabases(services, "drill_source_change", rows);
        ScenarioRun run = ScenarioRun.ofFile(temporal, "drill-source-change", ServerRestartDrillIT.THROTTLED);
        long copiedUpTo;
        int updated;
        int deleted;
        long chunksAfterChange;
        JsonNode result;
        try (WorkerProcess ignored = WorkerProcess.start(
                WorkerProcess.Settings.of(services, dbs.legacyUrl, dbs.targetUrl), "drill-worker-source-change.log")) {
            run.start();
            Progress.awaitChunks(dbs, 2);
            copiedUpTo = Long.parseLong(dbs.scalar(dbs.targetUrl, "select max(id) from orders_v2"));
            try (Connection c = services.connect(dbs.legacyUrl); Statement st = c.createStatement()) {
                updated = st.executeUpdate("update orders set amount = amount + 1, note = 'changed during the copy'"
                        + " where id <= " + copiedUpTo + " and id % 100 = 0");
                deleted = st.executeUpdate("delete from orders where id <= " + copiedUpTo + " and id % 250 = 7");
            }
            chunksAfterChange = Progress.chunks(dbs);
            result = run.result();
        } finally {
            run.terminateIfOpen();
        }
        assertThat(chunksAfterChange * CHUNK_ROWS).as("the source changed while the copy ran").isLessThan(rows);
        assertThat(updated).isPositive();
        assertThat(deleted).isPositive();
        JsonNode parity = result.at("/result/evidence/0");
        assertThat(result.at("/result/outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(result.at("/result/reason").asText()).contains("validation parity failed");
        assertThat(parity.at("/passed").asBoolean()).isFalse();
        assertThat(parity.at("/sourceRows").asLong()).isEqualTo(rows - deleted);
        assertThat(parity.at("/targetRows").asLong()).isEqualTo(rows);
        assertThat(parity.at("/sourceChecksum").asText()).isNotEqualTo(parity.at("/targetChecksum").asText());
        DrillReport.passed("source-change", size, DrillReport.count(rows) + " rows; " + DrillReport.count(updated)
                + " updated and " + DrillReport.count(deleted) + " deleted at the source behind the copy (keys <= "
                + DrillReport.count(copiedUpTo) + ") while it ran", "validation FAILED as it must: rows "
                + DrillReport.count(parity.at("/sourceRows").asLong()) + " source vs "
                + DrillReport.count(parity.at("/targetRows").asLong()) + " target, checksums differ; outcome "
                + result.at("/result/outcome").asText() + " (\"" + result.at("/result/reason").asText() + "\")");
    }
}
