package org.runbooks.worker.it.drills;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.runbooks.worker.it.OrdersDatabases;
import org.runbooks.worker.it.ScenarioRun;
import org.runbooks.worker.it.TemporalCli;
import org.runbooks.worker.it.TestServices;
import org.runbooks.worker.it.WorkerProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gives the worker's connections a known password, runs README's runbook to the end, and looks for the password
 * everywhere Temporal keeps or shows something: every history of the runbook and of its phases, each run included
 * ({@code temporal workflow show --output json}), {@code describe}, the {@code status} query, and the worker's log.
 */
@ExtendWith(DrillReport.Watcher.class)
class SecretsDrillIT {

    private static final List<String> PHASES = List.of("backfill", "validate", "gate", "cutover");

    private final DrillSize size = DrillSize.current();
    private final TestServices services = TestServices.get();
    private final TemporalCli temporal = new TemporalCli(services);

    @Test
    @DisplayName("secrets")
    void theWorkersPasswordIsInNoHistoryQueryOrLog() throws Exception {
        String password = "drill-secret-" + UUID.randomUUID();
        int rows = size.pick(5_000, 100_000);
        OrdersDatabases dbs = new OrdersDatabases(services, "drill_secrets", rows);
        ScenarioRun run = ScenarioRun.ofFile(temporal, "drill-secrets", "runbooks/orders-to-v2.yaml");
        WorkerProcess.Settings settings = WorkerProcess.Settings.of(services, dbs.legacyUrl, dbs.targetUrl)
                .withPassword(password);
        Map<String, String> exported;
        String shown;
        Path log;
        try (WorkerProcess worker = WorkerProcess.start(settings, "drill-worker-secrets.log")) {
            log = worker.log();
            run.start();
            run.awaitGate("go-no-go");
            run.approve("go-no-go", "dba-oncall");
            assertThat(run.result().at("/result/outcome").asText()).isEqualTo("COMPLETED");
            exported = ExportedHistories.of(temporal, run.workflowId());
            shown = temporal.run(run.statusCommand() + " --output json")
                    + temporal.run("temporal workflow describe --workflow-id " + run.workflowId() + " --output json");
        } finally {
            run.terminateIfOpen();
        }
        assertThat(exported.keySet().stream().map(key -> key.split(" ")[0]).distinct())
                .as("the runbook and each phase").hasSize(1 + PHASES.size());
        long bytes = 0;
        int found = 0;
        for (String history : exported.values()) {
            bytes += history.length();
            found += occurrences(history, password);
        }
        int inLog = occurrences(Files.readString(log), password);
        int inShown = occurrences(shown, password);
        assertThat(found).as("occurrences of the password in the histories").isZero();
        assertThat(inShown).as("occurrences in status and describe").isZero();
        assertThat(inLog).as("occurrences in the worker's log").isZero();
        DrillReport.passed("secrets", size, "orders-to-v2, " + DrillReport.count(rows) + " rows, connections with "
                + "a known password", "password found 0 times in " + exported.size() + " exported histories ("
                + DrillReport.count(bytes) + " characters: every run of the runbook and its " + PHASES.size()
                + " phases), " + inShown
                + " in status + describe, " + inLog + " in the worker log");
    }

    private static int occurrences(String text, String secret) {
        int count = 0;
        for (int at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + 1)) {
            count++;
        }
        return count;
    }
}
