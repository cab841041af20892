package org.runbooks.runbook;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.RunbookRequest;
import org.runbooks.api.RunbookResult;
import org.runbooks.api.RunbookState;
import org.runbooks.api.ValidationReport;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A long soak whose phase continues as new between re-validations, on the time-skipping test server. */
class SoakContinueAsNewWorkflowTest {

    /** Thirty re-validations in one phase, with a flag before the soak whose compensation must register once. */
    private static final String LONG_SOAK = """
            apiVersion: runbook/v1
            name: long-soak
            phases:
              - name: canary
                steps:
                  - id: parity
                    validate: { between: { source: legacy.orders, target: target.orders_v2 }, key: [id], rowCount: { tolerance: 0 } }
                  - id: canary
                    flag: { connection: target, name: orders.read_v2, percent: 10 }
                  - id: soak
                    wait: { duration: PT1H, revalidate: parity, every: PT2M }
                  - id: cutover
                    flag: { connection: target, name: orders.read_v2, enabled: true }
            """;

    private TimeSkippingRunbooks runbooks;

    @AfterEach
    void close() {
        if (runbooks != null) {
            runbooks.close();
        }
    }

    @Test
    void aSoakThatContinuesAsNewRunsEveryReValidationOnceAndGoesOn() {
        runbooks = new TimeSkippingRunbooks(LONG_SOAK, new RunbookRequest("runbooks/test.yaml", "alice", 100),
                fakes -> { });

        RunbookResult result = runbooks.result();

        assertThat(result.outcome()).isEqualTo(RunbookState.COMPLETED);
        assertThat(runbooks.activities().calls.stream().filter("compare:parity"::equals))
                .as("the validate step and 30 re-validations, none repeated or lost").hasSize(31);
        // 30 re-validations are fewer than the 100 a wait tells at most: every report reaches the runbook.
        assertThat(result.evidence()).hasSize(31);
        assertThat(result.evidence()).allMatch(ValidationReport::passed);
        assertThat(runbooks.activities().calls).containsSubsequence("setFlag:orders.read_v2=10",
                "setFlag:orders.read_v2=100");
        List<WorkflowExecutionHistory> runs = runs("rb-test/canary");
        assertThat(runs).as("the phase continued as new during the soak").hasSizeGreaterThanOrEqualTo(3);
        assertThat(runs.get(runs.size() - 1).getEvents()).filteredOn(this::timerStarted).first()
                .satisfies(timer -> assertThat(timer.getUserMetadata().getSummary().getData().toStringUtf8())
                        .isEqualTo("\"soak 1h, re-validate every 2m\""));
    }

    @Test
    void driftAfterAContinueAsNewStillRollsBackTheStepsOfEarlierRuns() {
        runbooks = new TimeSkippingRunbooks(LONG_SOAK, new RunbookRequest("runbooks/test.yaml", "alice", 100),
                fakes -> fakes.validation.comparesBeforeFailure = 20);

        RunbookResult result = runbooks.result();

        assertThat(result.outcome()).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(result.reason()).startsWith("re-validation 20 of parity during soak failed");
        assertThat(result.compensations()).extracting(c -> c.stepId()).containsExactly("canary");
        assertThat(runs("rb-test/canary")).hasSizeGreaterThanOrEqualTo(2);
    }

    private boolean timerStarted(HistoryEvent event) {
        return event.getEventType() == EventType.EVENT_TYPE_TIMER_STARTED;
    }

    /** Every run of {@code workflowId}, newest first. */
    private List<WorkflowExecutionHistory> runs(String workflowId) {
        List<WorkflowExecutionHistory> runs = new ArrayList<>();
        String run = runbooks.client().newUntypedWorkflowStub(workflowId).describe().getExecution().getRunId();
        while (!run.isEmpty()) {
            WorkflowExecutionHistory history = runbooks.client().fetchHistory(workflowId, run);
            runs.add(history);
            run = history.getEvents().get(0).getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId();
        }
        return runs;
    }
}
