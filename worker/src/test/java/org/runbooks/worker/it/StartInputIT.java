package org.runbooks.worker.it;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code temporal workflow start --input} does with an input a runbook does not take, on the real stack. */
class StartInputIT {

    private static final String START = "temporal workflow start --type Runbook --task-queue runbooks"
            + " --workflow-id %s --input '{\"path\":\"runbooks/orders-to-v2.yaml\",\"startedBy\":\"alice\"}'";

    @Test
    void aMisspelledInputFieldFailsTheWorkflowAtOnceWithOneLineNamingTheAllowedFields() throws Exception {
        TestServices services = TestServices.get();
        TemporalCli temporal = new TemporalCli(services);
        OrdersDatabases dbs = new OrdersDatabases(services, "start_input", 10);
        String id = "start-input-typo";
        try (RunningWorker ignored = RunningWorker.start(services, dbs.legacyUrl, dbs.targetUrl)) {
            temporal.run(START.formatted(id));
            long started = System.nanoTime();

            TemporalCli.Result result = temporal.tryRun("temporal workflow result --workflow-id " + id);

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
            assertThat(result.exitCode()).isNotZero();
            assertThat(result.output()).contains("the start input has unknown field 'path'; it takes file (required), startedBy, startSignature,"
                            + " historyLimit, phaseHistoryLimit");
        }
        assertThat(dbs.targetRows()).as("nothing was copied").isZero();
    }
}
