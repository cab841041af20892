package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README's upgrade procedure with Worker Versioning: a runbook waits at its gate on build 1.4.0; build 1.5.0 starts
 * and is made current with README's commands; 1.4.0 stops; the runbook, auto-upgrading, finishes on 1.5.0. A task
 * queue of its own keeps the deployment's routing away from the other tests' unversioned workers.
 */
class VersionedUpgradeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String QUEUE = "runbooks-versioned";
    private static final String ID = "production-copy-upgrade";

    @Test
    void aRunbookWaitingAtItsGateOnTheOldBuildFinishesOnTheNewOneOnceItIsCurrent() throws Exception {
        TestServices services = TestServices.get();
        TemporalCli temporal = new TemporalCli(services);
        OrdersDatabases dbs = new OrdersDatabases(services, "versioned_upgrade", 2_000);
        ScenarioRun run = ScenarioRun.ofFile(temporal, ID, "worker/src/test/resources/it-runbooks/production-copy.yaml");
        WorkerProcess.Settings base = WorkerProcess.Settings.of(services, dbs.legacyUrl, dbs.targetUrl)
                .withProperty("runbooks.task-queue", QUEUE)
                .withProperty("runbooks.versioning.deployment-name", "runbooks");

        try (WorkerProcess old = WorkerProcess.start(base.withProperty("runbooks.versioning.build-id", "1.4.0"),
                "versioned-1.4.0.log")) {
            makeCurrent(temporal, "1.4.0");
            temporal.run("temporal workflow start --type Runbook --task-queue " + QUEUE + " --workflow-id " + ID
                    + " --input '{\"file\":\"worker/src/test/resources/it-runbooks/production-copy.yaml\","
                    + "\"startedBy\":\"alice\"}'");
            run.awaitGate("ship-it");
            assertThat(version(temporal)).as("started on the current build").isEqualTo("runbooks:1.4.0");

            try (WorkerProcess next = WorkerProcess.start(base.withProperty("runbooks.versioning.build-id", "1.5.0"),
                    "versioned-1.5.0.log")) {
                makeCurrent(temporal, "1.5.0");
                old.close();

                run.approve("ship-it", "dba-oncall");
                assertThat(run.result().at("/result/outcome").asText()).isEqualTo("COMPLETED");
                assertThat(version(temporal)).as("auto-upgraded to the current build").isEqualTo("runbooks:1.5.0");
                assertThat(temporal.run(ProductionReadme.command("describe-version --deployment-name runbooks"
                        + " --build-id 1.5.0"))).contains("1.5.0");
            }
        }
        assertThat(dbs.targetChecksum()).isEqualTo(dbs.legacyChecksum());
    }

    /** README's command for {@code build}; a build becomes known to the server once its worker has polled, so it is retried. */
    private static void makeCurrent(TemporalCli temporal, String build) throws Exception {
        Awaits.until("build " + build + " to become current", Duration.ofSeconds(60), Duration.ofMillis(500),
                () -> temporal.tryRun(ProductionReadme.command("set-current-version --deployment-name runbooks"
                        + " --build-id " + build)), r -> r.exitCode() == 0);
    }

    /** The deployment version the runbook's last workflow task ran on, as {@code deployment:build}. */
    private static String version(TemporalCli temporal) throws Exception {
        JsonNode described = JSON.readTree(temporal.run("temporal workflow describe --workflow-id " + ID
                + " --output json"));
        JsonNode info = described.at("/workflowExecutionInfo/versioningInfo");
        JsonNode v = info.path("deploymentVersion");
        assertThat(info.path("behavior").asText()).as(info.toString()).isEqualTo("VERSIONING_BEHAVIOR_AUTO_UPGRADE");
        return v.at("/deploymentName").asText() + ":" + v.at("/buildId").asText();
    }
}
