package org.runbooks.runbook;

import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.RunbookRequest;
import org.runbooks.api.RunbookResult;
import org.runbooks.api.RunbookState;
import org.runbooks.api.RunbookStatus;
import org.runbooks.api.RunbookWorkflow;
import org.runbooks.phase.PhaseWorkflowImpl;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What an operator types after {@code temporal workflow start --input}, read before any side effect. */
class RunbookRequestInputTest {

    private TestWorkflowEnvironment env;
    private FakeActivities activities;

    @BeforeEach
    void start() throws Exception {
        env = TestWorkflowEnvironment.newInstance();
        RunbookSearchAttributes.ALL.forEach(key -> env.registerSearchAttribute(key.getName(),
                io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
        Worker worker = env.newWorker(TimeSkippingRunbooks.QUEUE);
        worker.registerWorkflowImplementationTypes(RunbookWorkflowImpl.class, PhaseWorkflowImpl.class);
        activities = new FakeActivities(RunbookWorkflowTest.ordersRunbook());
        worker.registerActivitiesImplementations(activities.all());
        env.start();
    }

    @AfterEach
    void close() {
        env.close();
    }

    @Test
    void aMisspelledFieldFailsTheWorkflowAtOnceNamingItAndTheAllowedFields() {
        WorkflowStub stub = env.getWorkflowClient().newUntypedWorkflowStub(RunbookWorkflow.TYPE,
                WorkflowOptions.newBuilder().setTaskQueue(TimeSkippingRunbooks.QUEUE).setWorkflowId("rb-typo").build());
        stub.start(Map.of("path", "runbooks/orders-to-v2.yaml"));

        assertThatThrownBy(() -> stub.getResult(10, TimeUnit.SECONDS, RunbookResult.class))
                .isInstanceOf(WorkflowFailedException.class)
                .cause().isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
                    assertThat(failure.getType()).isEqualTo("InvalidRequest");
                    assertThat(failure.isNonRetryable()).isTrue();
                    assertThat(failure.getOriginalMessage())
                            .doesNotContain("\n")
                            .contains("unknown field 'path'")
                            .contains("file (required), startedBy, startSignature, historyLimit, phaseHistoryLimit");
                });
        assertThat(activities.calls).as("nothing ran").isEmpty();
    }

    @Test
    void aKnownFieldOfTheWrongTypeFailsTheWorkflowAtOnceSayingWhatItTakes() {
        assertRefusedAtOnce("rb-file-number", Map.of("file", 5), "field 'file' must be a string, not a number");
        assertRefusedAtOnce("rb-file-list", Map.of("file", java.util.List.of("runbooks/orders-to-v2.yaml")),
                "field 'file' must be a string, not an array");
        assertRefusedAtOnce("rb-limit-text", Map.of("file", "runbooks/orders-to-v2.yaml", "historyLimit", "many"),
                "field 'historyLimit' must be a whole number, not a string");
        assertRefusedAtOnce("rb-by-object", Map.of("file", "runbooks/orders-to-v2.yaml", "startedBy",
                Map.of("name", "alice")), "field 'startedBy' must be a string, not an object");
        assertRefusedAtOnce("rb-not-object", "runbooks/orders-to-v2.yaml", "the start input must be a JSON object");
    }

    @Test
    void anUnknownFieldWithANumberFailsTheWorkflowAtOnceToo() {
        assertRefusedAtOnce("rb-runbook-number", Map.of("runbook", 5), "unknown field 'runbook'");
    }

    private void assertRefusedAtOnce(String workflowId, Object input, String message) {
        WorkflowStub stub = env.getWorkflowClient().newUntypedWorkflowStub(RunbookWorkflow.TYPE,
                WorkflowOptions.newBuilder().setTaskQueue(TimeSkippingRunbooks.QUEUE).setWorkflowId(workflowId).build());
        stub.start(input);

        assertThatThrownBy(() -> stub.getResult(10, TimeUnit.SECONDS, RunbookResult.class))
                .as(workflowId).isInstanceOf(WorkflowFailedException.class)
                .cause().isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
                    assertThat(failure.getType()).isEqualTo("InvalidRequest");
                    assertThat(failure.isNonRetryable()).isTrue();
                    assertThat(failure.getOriginalMessage())
                            .doesNotContain("\n")
                            .contains(message)
                            .contains("file (required), startedBy, startSignature, historyLimit, phaseHistoryLimit");
                });
        assertThat(activities.calls).as("nothing ran").isEmpty();
    }

    @Test
    void theDocumentedInputStillStartsTheRunbook() {
        WorkflowStub stub = env.getWorkflowClient().newUntypedWorkflowStub(RunbookWorkflow.TYPE,
                WorkflowOptions.newBuilder().setTaskQueue(TimeSkippingRunbooks.QUEUE).setWorkflowId("rb-ok").build());
        stub.start(Map.of("file", "runbooks/orders-to-v2.yaml", "startedBy", "alice"));

        RunbookStatus status = null;
        for (int i = 0; i < 200 && (status == null || status.state() != RunbookState.AWAITING_APPROVAL); i++) {
            env.sleep(java.time.Duration.ofMillis(500));
            status = stub.query("status", RunbookStatus.class);
        }
        assertThat(status.state()).isEqualTo(RunbookState.AWAITING_APPROVAL);
    }

    @Test
    void aRequestCrossesTheDataConverterWithoutAnExtraField() {
        var converter = io.temporal.common.converter.DefaultDataConverter.STANDARD_INSTANCE;
        RunbookRequest request = new RunbookRequest("runbooks/orders-to-v2.yaml", "alice", 500, 20, null);

        var payload = converter.toPayload(request).orElseThrow();

        assertThat(payload.getData().toStringUtf8()).doesNotContain("unknownFields");
        assertThat(converter.fromPayload(payload, RunbookRequest.class, RunbookRequest.class)).isEqualTo(request);
    }
}
