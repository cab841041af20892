package org.runbooks.runbook;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.api.Test;
import org.runbooks.api.GateDecision;
import org.runbooks.api.RunbookRequest;
import org.runbooks.api.RunbookState;
import org.runbooks.api.RunbookStatus;
import org.runbooks.api.StepTrouble;
import org.runbooks.phase.PhaseWorkflowImpl;
import org.runbooks.ui.CurrentDetails;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A step whose activity cannot reach its database shows the trouble in {@code status} while Temporal retries it,
 * and stops showing it once the step has moved on.
 */
class StepTroubleWorkflowTest {

    private static final String RUNBOOK = """
            apiVersion: runbook/v1
            name: step-trouble
            phases:
              - name: cutover
                steps:
                  - id: compat-view
                    sql:
                      connection: target
                      apply: "create or replace view orders as select * from orders_v2"
                      revert: "create or replace view orders as select * from orders_legacy"
                  - id: go-no-go
                    gate: { approvers: [ann] }
            """;

    @Test
    void statusShowsTheRetryingStepWithItsErrorUntilTheStepCompletes() throws Exception {
        try (TimeSkippingRunbooks runbooks = new TimeSkippingRunbooks(RUNBOOK,
                new RunbookRequest("runbooks/test.yaml", "alice"), activities -> {
                    activities.sql.unreachableSqlAttempts = 2;
                    activities.sql.holdRecovery = true;
                })) {
            RunbookStatus during = awaitTrouble(runbooks, 2);

            StepTrouble trouble = during.trouble();
            assertThat(during.state()).isEqualTo(RunbookState.RUNNING);
            assertThat(trouble.phase()).isEqualTo("cutover");
            assertThat(trouble.step()).isEqualTo("compat-view");
            assertThat(trouble.activity()).isEqualTo("RunSql");
            assertThat(trouble.error()).isEqualTo("connection 'target' is unreachable: Connection refused. "
                    + "[SQLState 08001]");
            assertThat(trouble.since()).as("the first failed attempt")
                    .isEqualTo(runbooks.activities().sql.troubles.get(0).at());
            assertThat(CurrentDetails.render("rb-test", during))
                    .contains("**Retrying** compat-view: RunSql attempt 2 failed, in trouble since " + trouble.since()
                            + ": connection 'target' is unreachable");

            runbooks.activities().sql.holdRecovery = false;
            RunbookStatus atGate = runbooks.awaitGate("go-no-go");
            assertThat(atGate.trouble()).as("cleared once the step completed").isNull();
            assertThat(CurrentDetails.render("rb-test", atGate)).doesNotContain("Retrying");
            runbooks.workflow().approve(new GateDecision("go-no-go", "ann", "view works"));
            assertThat(runbooks.result().outcome()).isEqualTo(RunbookState.COMPLETED);

            List<HistoryEvent> phase = runbooks.client().fetchHistory("rb-test/cutover").getEvents();
            assertThat(phase).filteredOn(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
                    .extracting(e -> e.getWorkflowExecutionSignaledEventAttributes().getSignalName())
                    .as("each failed attempt told its phase").containsExactly("activityTrouble", "activityTrouble",
                            "gateVerdict");
            WorkflowReplayer.replayWorkflowExecution(runbooks.client().fetchHistory("rb-test/cutover"),
                    PhaseWorkflowImpl.class);
            WorkflowReplayer.replayWorkflowExecution(runbooks.client().fetchHistory("rb-test"),
                    RunbookWorkflowImpl.class);
        }
    }

    /** Polls {@code status} until it shows the trouble of attempt {@code attempt}. */
    private static RunbookStatus awaitTrouble(TimeSkippingRunbooks runbooks, int attempt) {
        for (int i = 0; i < 200; i++) {
            RunbookStatus status = runbooks.workflow().status();
            if (status.trouble() != null && status.trouble().attempt() >= attempt) {
                return status;
            }
            runbooks.sleep(Duration.ofMillis(500));
        }
        throw new AssertionError("status never showed attempt " + attempt + " failing; last status "
                + runbooks.workflow().status());
    }
}
