package org.runbooks.worker.it.drills;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.runbooks.worker.it.Awaits;
import org.runbooks.worker.it.OrdersDatabases;
import org.runbooks.worker.it.ScenarioRun;
import org.runbooks.worker.it.TemporalCli;
import org.runbooks.worker.it.TestServices;
import org.runbooks.worker.it.WorkerProcess;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The five-minute rollback: a runbook that has copied the table, flipped three flags and swapped the view
 * {@code orders_current} onto the copy is rolled back by README's rollback signal during its soak; the drill times
 * the signal to {@code ROLLED_BACK} in {@code status} and checks that everything was undone.
 */
@ExtendWith(DrillReport.Watcher.class)
class RollbackTimeDrillIT {

    private static final String RUNBOOK = "worker/src/test/resources/drill-runbooks/rollback-drill.yaml";
    /** The bar operators hold a rollback to. */
    private static final Duration BAR = Duration.ofMinutes(5);

    private final DrillSize size = DrillSize.current();
    private final TestServices services = TestServices.get();
    private final TemporalCli temporal = new TemporalCli(services);

    @Test
    @DisplayName("rollback-time")
    void rollbackOfFlagsAViewAndACopyFinishesWellInsideFiveMinutes() throws Exception {
        int rows = size.pick(50_000, 1_000_000);
        OrdersDatabases dbs = new OrdersDatabases(services, "drill_rollback_time", rows);
        try (Connection c = services.connect(dbs.targetUrl); Statement st = c.createStatement()) {
            st.execute("create table orders_old (like orders_v2)");
            st.execute("create view orders_current as select * from orders_old");
        }
        ScenarioRun run = ScenarioRun.ofFile(temporal, "drill-rollback-time", RUNBOOK);
        Duration took;
        JsonNode result;
        try (WorkerProcess ignored = WorkerProcess.start(
                WorkerProcess.Settings.of(services, dbs.legacyUrl, dbs.targetUrl), "drill-worker-rollback-time.log")) {
            run.start();
            Progress.await(temporal, run, "soak", s -> "soak".equals(s.at("/phase").asText()));
            assertThat(dbs.flagPercent("orders.read_v2")).isEqualTo(100);
            assertThat(dbs.flagPercent("orders.write_v2")).isEqualTo(100);
            assertThat(viewSource(dbs)).contains("orders_v2");

            Instant signalled = Instant.now();
            temporal.run("temporal workflow signal --workflow-id " + run.workflowId() + " --name rollback --input "
                    + "'{\"by\":\"carol\",\"reason\":\"drill: error rate on the canary\"}'");
            Awaits.until("the rollback to finish", BAR, Duration.ofMillis(100), () -> Progress.state(temporal, run),
                    "ROLLED_BACK"::equals);
            took = Duration.between(signalled, Instant.now());
            result = run.result();
        } finally {
            run.terminateIfOpen();
        }
        assertThat(result.at("/result/outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(result.at("/result/compensations")).hasSize(5)
                .allSatisfy(c -> assertThat(c.at("/succeeded").asBoolean()).as(c.toString()).isTrue());
        assertThat(dbs.flagPercent("orders.read_v2")).isNull();
        assertThat(dbs.flagPercent("orders.write_v2")).isNull();
        assertThat(viewSource(dbs)).contains("orders_old").doesNotContain("orders_v2");
        assertThat(dbs.targetRows()).isZero();
        assertThat(took).isLessThan(BAR);
        DrillReport.passed("rollback-time", size, DrillReport.count(rows) + " rows copied, 3 flag changes, view "
                + "swapped; rollback signalled during the soak", "ROLLED_BACK " + DrillReport.seconds(took)
                + " after the signal (bar: 5 min); 5 of 5 compensations succeeded: view back on orders_old, flags "
                + "removed, " + DrillReport.count(rows) + " copied rows deleted");
    }

    private static String viewSource(OrdersDatabases dbs) throws Exception {
        return dbs.scalar(dbs.targetUrl, "select pg_get_viewdef('orders_current')");
    }
}
