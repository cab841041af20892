package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A step with {@code onFailure: pause} fails on the real stack (its table is missing), the runbook waits in
 * STEP_FAILED, the operator fixes the target and sends README's {@code resolveFailure} retry, and the runbook ends.
 */
class FailurePolicyIT {

    @Test
    void aPausedFailureIsRetriedByTheOperatorAndTheRunbookCompletes() throws Exception {
        TestServices services = TestServices.get();
        TemporalCli temporal = new TemporalCli(services);
        OrdersDatabases dbs = new OrdersDatabases(services, "failure_policy", 10);
        ScenarioRun run = ScenarioRun.ofFile(temporal, "failure-policy",
                "worker/src/test/resources/it-runbooks/failure-policy.yaml");
        try (RunningWorker ignored = RunningWorker.start(services, dbs.legacyUrl, dbs.targetUrl)) {
            run.start();

            JsonNode failed = Awaits.status(temporal, run.statusCommand(), s -> "STEP_FAILED".equals(s.at("/state").asText()));
            assertThat(failed.at("/failure/step").asText()).isEqualTo("canary");
            assertThat(failed.at("/failure/reason").asText()).contains("canary_marks");
            assertThat(failed.at("/failure/retryCommand").asText())
                    .startsWith("temporal workflow signal --workflow-id failure-policy --name resolveFailure");
            assertThat(dbs.flagPercent("orders.read_v2")).isNull();

            try (Connection c = services.connect(dbs.targetUrl); Statement st = c.createStatement()) {
                st.execute("create table canary_marks (note text not null)");
            }
            run.resolveFailure("canary", "retry", "carol", "created canary_marks");
            JsonNode result = run.result();

            assertThat(result.at("/result/outcome").asText()).isEqualTo("COMPLETED");
            assertThat(dbs.scalar(dbs.targetUrl, "select count(*) from canary_marks")).isEqualTo("1");
            assertThat(dbs.flagPercent("orders.read_v2")).isEqualTo(100);
        }
    }
}
