package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A validation that repairs, on the real worker, dev server and two PostgreSQL databases: after the copy, the source
 * has one row updated, one deleted and one inserted; the validation finds exactly those three keys, the backfill
 * re-copies them, the second validation passes, and target == source by an md5 PostgreSQL computes itself. The
 * repair is in {@code status} and in the migration report.
 */
class ValidationRepairIT {

    private static final int ROWS = 20_000;
    private static final String RUNBOOK = """
            apiVersion: runbook/v1
            name: repair-it
            phases:
              - name: backfill
                steps:
                  - id: copy-orders
                    backfill: { from: { connection: legacy, table: public.orders }, to: { connection: target, table: public.orders_v2 }, key: [id], chunkRows: 2000 }
                  - id: copied
                    gate: { approvers: [dba-oncall] }
              - name: validate
                steps:
                  - id: parity
                    validate:
                      between: { source: legacy.public.orders, target: target.public.orders_v2 }
                      key: [id]
                      checksum: { columns: all }
                      repair: true
                  - id: go-no-go
                    gate: { approvers: [dba-oncall] }
            """;

    @Test
    void theThreeKeysTheSourceChangedAfterTheCopyAreRepairedAndTheTablesEndEqual() throws Exception {
        TestServices services = TestServices.get();
        TemporalCli temporal = new TemporalCli(services);
        OrdersDatabases dbs = new OrdersDatabases(services, "repair", ROWS);
        Path file = Path.of("target", "scenario-runbooks", "repair-it.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, RUNBOOK);
        Path reports = Path.of("target", "it-reports", "repair");
        ScenarioRun run = ScenarioRun.ofFile(temporal, "repair-it", "worker/" + file);
        try (RunningWorker ignored = RunningWorker.start(services, Map.of("legacy", dbs.legacyUrl, "target",
                dbs.targetUrl), Map.of("runbooks.reports.dir", reports.toString()))) {
            run.start();
            run.awaitGate("copied");
            assertThat(dbs.targetChecksum()).as("the copy itself is whole").isEqualTo(dbs.legacyChecksum());
            execute(services, dbs.legacyUrl, "update orders set amount = amount + 1, status = 'disputed' where id = 4242",
                    "delete from orders where id = 777",
                    "insert into orders values (20001, 5, 12.50, 'paid', timestamptz '2025-01-01 00:00:00+00', 'late')");
            assertThat(dbs.targetChecksum()).isNotEqualTo(dbs.legacyChecksum());
            run.approve("copied", "dba-oncall");

            JsonNode waiting = run.awaitGate("go-no-go");
            JsonNode parity = waiting.at("/evidence/0");
            assertThat(parity.at("/stepId").asText()).isEqualTo("parity");
            assertThat(parity.at("/passed").asBoolean()).as("the verdict after the repair").isTrue();
            JsonNode round = parity.at("/repair/rounds/0");
            assertThat(keys(round.at("/found/missing"))).containsExactly("20001");
            assertThat(keys(round.at("/found/extra"))).containsExactly("777");
            assertThat(keys(round.at("/found/changed"))).containsExactly("4242");
            assertThat(round.at("/repaired/upserted").asInt()).isEqualTo(2);
            assertThat(round.at("/repaired/deleted").asInt()).isEqualTo(1);
            assertThat(parity.at("/repair/rounds").size()).isEqualTo(1);
            assertThat(parity.at("/repair/backfill").asText()).isEqualTo("copy-orders");
            assertThat(parity.at("/repair/closed").asBoolean()).isTrue();
            assertThat(dbs.targetChecksum()).isEqualTo(dbs.legacyChecksum());

            run.approve("go-no-go", "dba-oncall");
            JsonNode result = run.result();
            assertThat(result.at("/result/outcome").asText()).isEqualTo("COMPLETED");
            String report = Files.readString(Path.of(result.at("/result/report/markdown").asText()));
            assertThat(report).contains("Repaired from copy-orders in 1 round(s): 1 missing, 1 extra, 1 changed key(s)"
                    + " found; 2 upserted, 1 deleted (repaired 3 key(s) in 1 round(s); the validation after it"
                    + " passed)");
        }
        assertThat(dbs.targetRows()).isEqualTo(ROWS);
        assertThat(dbs.targetChecksum()).isEqualTo(dbs.legacyChecksum());
    }

    private static List<String> keys(JsonNode list) {
        List<String> keys = new ArrayList<>();
        for (JsonNode key : list) {
            List<String> values = new ArrayList<>();
            key.forEach(value -> values.add(value.asText()));
            keys.add(String.join(",", values));
        }
        return keys;
    }

    private static void execute(TestServices services, String url, String... statements) throws SQLException {
        try (Connection c = services.connect(url); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }
}
