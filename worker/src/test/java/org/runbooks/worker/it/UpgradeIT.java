package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import org.junit.jupiter.api.Test;
import org.runbooks.backfill.BackfillActivitiesImpl;
import org.runbooks.flag.FlagActivitiesImpl;
import org.runbooks.load.RunbookLoadActivitiesImpl;
import org.runbooks.sql.SqlActivitiesImpl;
import org.runbooks.validate.ValidationActivitiesImpl;
import org.runbooks.jdbc.connect.ConnectionSettings;
import org.runbooks.jdbc.connect.JdbcConnectionRegistry;
import org.runbooks.phase.PhaseWorkflowImpl;
import org.runbooks.api.RunbookRequest;
import org.runbooks.api.RunbookResult;
import org.runbooks.runbook.RunbookWorkflowImpl;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our own upgrade, mid-runbook: a runbook reaches its gate on the current worker, that worker stops, a worker with
 * changed workflow code (a change guarded by {@code Workflow.getVersion}, as README's rule asks) takes over, and the
 * approved runbook completes on it, taking the new branch.
 */
class UpgradeIT {

    /** The "next release": after the runbook's work it runs one more timer, behind a version guard. */
    public static class NextReleaseRunbookWorkflow extends RunbookWorkflowImpl {
        @io.temporal.workflow.WorkflowInit
        public NextReleaseRunbookWorkflow(RunbookRequest request) {
            super(request);
        }

        @Override
        public RunbookResult run(RunbookRequest request) {
            RunbookResult result = super.run(request);
            if (Workflow.getVersion("upgrade-drill", Workflow.DEFAULT_VERSION, 1) == 1) {
                Workflow.sleep(Duration.ofMillis(10));
            }
            return result;
        }
    }

    @Test
    void runbookStartedOnTheCurrentWorkerCompletesOnTheNextRelease() throws Exception {
        TestServices services = TestServices.get();
        TemporalCli temporal = new TemporalCli(services);
        OrdersDatabases dbs = new OrdersDatabases(services, "upgrade", 20_000);
        try (RunningWorker current = RunningWorker.start(services, dbs.legacyUrl, dbs.targetUrl)) {
            temporal.run(OrdersToV2EndToEndIT.START);
            Awaits.state(temporal, "AWAITING_APPROVAL");
        }

        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(services.temporalAddress()).build());
        WorkerFactory factory = WorkerFactory.newInstance(WorkflowClient.newInstance(stubs));
        try {
            Worker next = factory.newWorker("runbooks");
            next.registerWorkflowImplementationTypes(NextReleaseRunbookWorkflow.class, PhaseWorkflowImpl.class);
            JdbcConnectionRegistry connections = new JdbcConnectionRegistry(List.of(
                    new ConnectionSettings("legacy", dbs.legacyUrl, services.pgUser(), services.pgPassword()),
                    new ConnectionSettings("target", dbs.targetUrl, services.pgUser(), services.pgPassword())));
            next.registerActivitiesImplementations(
                    new RunbookLoadActivitiesImpl(Path.of(".."), connections),
                    new BackfillActivitiesImpl(connections), new ValidationActivitiesImpl(connections),
                    new FlagActivitiesImpl(connections), new SqlActivitiesImpl(connections));
            factory.start();

            temporal.run(OrdersToV2EndToEndIT.APPROVE);
            var result = new ObjectMapper().readTree(temporal.run(OrdersToV2EndToEndIT.RESULT));

            assertThat(result.at("/result/outcome").asText()).isEqualTo("COMPLETED");
            String history = temporal.run("temporal workflow show --workflow-id orders-to-v2 --output json");
            // The gate's timeout timer is cancelled on approval; the only timer that fires is the new branch's.
            assertThat(history).as("the new code took its guarded branch").contains("EVENT_TYPE_TIMER_FIRED");
            assertThat(dbs.targetChecksum()).isEqualTo(dbs.legacyChecksum());
            assertThat(dbs.flagPercent("orders.read_v2")).isEqualTo(100);
        } finally {
            factory.shutdownNow();
            stubs.shutdownNow();
        }
    }
}
