package org.runbooks.worker.it;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backfill with parallelism 8 on a worker whose target connection allows 3: the target never sees more than 3 of
 * the worker's sessions, the slices take turns, and the copy completes with target == source.
 */
class ConnectionPoolIT {

    private static final int ROWS = 100_000;
    private static final int CAP = 3;

    @Test
    void aBackfillWiderThanTheCapTakesTurnsAndNeverOpensMoreThanTheCap() throws Exception {
        TestServices services = TestServices.get();
        TemporalCli temporal = new TemporalCli(services);
        OrdersDatabases dbs = new OrdersDatabases(services, "pool_cap", ROWS);
        ScenarioRun run = ScenarioRun.ofFile(temporal, "pool-cap", "worker/src/test/resources/it-runbooks/pool-cap.yaml");
        AtomicInteger most = new AtomicInteger();
        try (RunningWorker ignored = RunningWorker.start(services,
                Map.of("legacy", dbs.legacyUrl, "target", dbs.targetUrl),
                Map.of("runbooks.connections.target.max-connections", CAP))) {
            run.start();
            try (Connection probe = services.connect(services.jdbcUrl("postgres"));
                 Statement st = probe.createStatement()) {
                Awaits.until("the copy to finish", java.time.Duration.ofMinutes(3), java.time.Duration.ofMillis(50),
                        () -> {
                            try (ResultSet rs = st.executeQuery("select count(*) from pg_stat_activity"
                                    + " where datname = 'pool_cap_target'")) {
                                rs.next();
                                most.accumulateAndGet(rs.getInt(1), Math::max);
                            }
                            return dbs.targetRows();
                        }, rows -> rows == ROWS);
            }
            assertThat(run.result().at("/result/outcome").asText()).isEqualTo("COMPLETED");
        }
        assertThat(dbs.targetChecksum()).isEqualTo(dbs.legacyChecksum());
        assertThat(most.get()).as("the worker's sessions on the target at the busiest moment")
                .isBetween(1, CAP + 1); // + the test's own count query when it reads the target
    }
}
