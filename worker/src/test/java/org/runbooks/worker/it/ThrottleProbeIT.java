package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backfill with a throttle probe on the real worker, dev server and two PostgreSQL databases: the probe reads a
 * table on the target; set high mid-copy, {@code status} shows the copy throttled with its chunk size cut and no
 * chunk is written; set low again, the copy finishes with chunks growing back, {@code status} keeps the time it
 * waited, and target == source by md5.
 */
class ThrottleProbeIT {

    private static final int ROWS = 200_000;
    private static final int CHUNK = 2_000;
    private static final String RUNBOOK = """
            apiVersion: runbook/v1
            name: throttle-it
            phases:
              - name: backfill
                steps:
                  - id: copy-orders
                    backfill:
                      from: { connection: legacy, table: public.orders }
                      to: { connection: target, table: public.orders_v2 }
                      key: [id]
                      chunkRows: %d
                      rowsPerSecond: 20000
                      throttle: { query: "select lag_ms from replica_lag", connection: target, max: 100 }
                  - id: go
                    gate: { approvers: [dba-oncall] }
            """.formatted(CHUNK);
    private static final String WRITTEN = "select coalesce(sum(row_count), 0) from runbook_copy_chunks";

    @Test
    void aHighProbeHoldsTheCopyAndCutsItsChunksAndStatusShowsItUntilTheProbeIsLowAgain() throws Exception {
        TestServices services = TestServices.get();
        TemporalCli temporal = new TemporalCli(services);
        OrdersDatabases dbs = new OrdersDatabases(services, "throttle", ROWS);
        execute(services, dbs.targetUrl, "create table replica_lag (lag_ms int)", "insert into replica_lag values (0)");
        Path file = Path.of("target", "scenario-runbooks", "throttle-it.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, RUNBOOK);
        ScenarioRun run = ScenarioRun.ofFile(temporal, "throttle-it", "worker/" + file);
        try (RunningWorker ignored = RunningWorker.start(services, dbs.legacyUrl, dbs.targetUrl)) {
            run.start();
            Awaits.targetSql(dbs, "select to_regclass('runbook_copy_chunks')::text", v -> v != null);
            Awaits.targetSql(dbs, WRITTEN, v -> Long.parseLong(v) >= 3L * CHUNK);

            execute(services, dbs.targetUrl, "update replica_lag set lag_ms = 5000");
            JsonNode held = Awaits.status(temporal, run.statusCommand(), s -> s.at("/throttle/throttled").asBoolean());
            long writtenWhenHeld = Long.parseLong(dbs.scalar(dbs.targetUrl, WRITTEN));
            assertThat(held.at("/throttle/lastValue").asDouble()).isEqualTo(5000.0);
            assertThat(held.at("/throttle/max").asDouble()).isEqualTo(100.0);
            assertThat(held.at("/throttle/chunkRows").asInt()).isLessThan(CHUNK);
            assertThat(held.at("/throttle/configuredChunkRows").asInt()).isEqualTo(CHUNK);
            assertThat(held.at("/throttle/throttledMillis").asLong()).isGreaterThanOrEqualTo(4_000);
            assertThat(held.at("/throttle/probe").asText()).isEqualTo("the query on target");
            Thread.sleep(3_000);
            assertThat(Long.parseLong(dbs.scalar(dbs.targetUrl, WRITTEN))).as("no chunk while the probe is high")
                    .isEqualTo(writtenWhenHeld).isLessThan(ROWS);

            execute(services, dbs.targetUrl, "update replica_lag set lag_ms = 3");
            JsonNode done = run.awaitGate("go");
            assertThat(done.at("/throttle/throttled").asBoolean()).isFalse();
            assertThat(done.at("/throttle/lastValue").asDouble()).isEqualTo(3.0);
            assertThat(done.at("/throttle/throttledMillis").asLong()).isGreaterThanOrEqualTo(
                    held.at("/throttle/throttledMillis").asLong());
            assertThat(done.at("/rowsCopied").asLong()).isEqualTo(ROWS);
            long cut = Long.parseLong(dbs.scalar(dbs.targetUrl, "select count(*) from runbook_copy_chunks"
                    + " where row_count < " + CHUNK));
            assertThat(cut).as("chunks written smaller while the size grew back").isGreaterThanOrEqualTo(2);

            run.approve("go", "dba-oncall");
            assertThat(run.result().at("/result/outcome").asText()).isEqualTo("COMPLETED");
        }
        assertThat(dbs.targetChecksum()).isEqualTo(dbs.legacyChecksum());
        assertThat(dbs.scalar(dbs.targetUrl, WRITTEN)).isEqualTo(String.valueOf(ROWS));
    }

    private static void execute(TestServices services, String url, String... statements) throws SQLException {
        try (Connection c = services.connect(url); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }
}
