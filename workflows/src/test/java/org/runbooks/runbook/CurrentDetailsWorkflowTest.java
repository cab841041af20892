package org.runbooks.runbook;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.sdk.v1.WorkflowMetadata;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.PauseRequest;
import org.runbooks.api.RunbookRequest;
import org.runbooks.api.RunbookState;
import org.runbooks.api.RunbookWorkflow;
import org.runbooks.phase.PhaseWorkflowImpl;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runbook and its phase children publish Current Details as they go. The Temporal UI reads them with the
 * built-in metadata query, which is what this test asks too, of the runbook and of the phase child that waits.
 */
class CurrentDetailsWorkflowTest {

    private static final String METADATA = "__temporal_workflow_metadata";

    private final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();

    @AfterEach
    void close() {
        env.close();
    }

    @Test
    void waitingGateShowsItsApproveCommandOnTheRunbookAndTheStepOnItsPhase() throws Exception {
        RunbookWorkflow runbook = start(RunbookWorkflowTest.ordersRunbook());
        awaitState(runbook, RunbookState.AWAITING_APPROVAL);

        String details = currentDetails("rb-details");
        assertThat(details).startsWith("**orders-to-v2** · **AWAITING_APPROVAL** · phase **gate**");
        assertThat(details).contains("1,000 of 1,000 rows");
        assertThat(details).contains("temporal workflow signal --workflow-id rb-details --name approve --input "
                + "'{\"gate\":\"go-no-go\",\"by\":\"YOU\",\"comment\":\"WHY\"}'");
        assertThat(currentDetails("rb-details/gate"))
                .isEqualTo("**orders-to-v2** · phase **gate** · step 1 of 1: **go-no-go** (gate)");

        runbook.pause(new PauseRequest("carol", "replica lag"));
        awaitState(runbook, RunbookState.PAUSED);
        assertThat(currentDetails("rb-details")).contains("**Paused** by carol: replica lag.")
                .as("the gate still waits while paused").contains("--name approve");
    }

    private RunbookWorkflow start(String runbookText) {
        RunbookSearchAttributes.ALL.forEach(key ->
                env.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
        Worker worker = env.newWorker(TimeSkippingRunbooks.QUEUE);
        worker.registerWorkflowImplementationTypes(RunbookWorkflowImpl.class, PhaseWorkflowImpl.class);
        worker.registerActivitiesImplementations(new FakeActivities(runbookText).all());
        env.start();
        RunbookWorkflow runbook = env.getWorkflowClient().newWorkflowStub(RunbookWorkflow.class, WorkflowOptions
                .newBuilder().setTaskQueue(TimeSkippingRunbooks.QUEUE).setWorkflowId("rb-details").build());
        WorkflowClient.start(runbook::run, new RunbookRequest("runbooks/test.yaml", "alice"));
        return runbook;
    }

    private void awaitState(RunbookWorkflow runbook, RunbookState state) {
        for (int i = 0; i < 200 && runbook.status().state() != state; i++) {
            env.sleep(Duration.ofMillis(500));
        }
        assertThat(runbook.status().state()).isEqualTo(state);
    }

    private String currentDetails(String workflowId) {
        return env.getWorkflowClient().newUntypedWorkflowStub(workflowId).query(METADATA, WorkflowMetadata.class)
                .getCurrentDetails();
    }
}
