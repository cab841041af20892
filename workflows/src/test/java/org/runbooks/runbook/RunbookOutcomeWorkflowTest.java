package org.runbooks.runbook;

import io.temporal.client.WorkflowStub;
import org.runbooks.api.GateDecision;
import org.runbooks.api.RunbookRequest;
import org.runbooks.api.RunbookState;
import org.runbooks.api.RunbookWorkflow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** {@code RunbookOutcome} tells how each runbook ended, so the Web UI's list shows it; it is unset while it runs. */
class RunbookOutcomeWorkflowTest {

    private TimeSkippingRunbooks runbooks;

    @AfterEach
    void close() {
        if (runbooks != null) {
            runbooks.close();
        }
    }

    private RunbookWorkflow start(String text) {
        runbooks = new TimeSkippingRunbooks(text, new RunbookRequest("runbooks/test.yaml", "alice"), fakes -> { });
        return runbooks.workflow();
    }

    private String outcome() {
        return WorkflowStub.fromTyped(runbooks.workflow()).describe().getTypedSearchAttributes()
                .get(RunbookSearchAttributes.OUTCOME);
    }

    @Test
    void anApprovedRunbookEndsCompletedAndHasNoOutcomeWhileItWaits() throws Exception {
        RunbookWorkflow workflow = start(RunbookWorkflowTest.ordersRunbook());
        runbooks.awaitState(RunbookState.AWAITING_APPROVAL);
        assertThat(outcome()).as("while it waits").isNull();

        workflow.approve(new GateDecision("go-no-go", "dba-oncall", "parity clean"));
        runbooks.result();

        assertThat(outcome()).isEqualTo("Completed");
    }

    @Test
    void aRejectedRunbookEndsRolledBack() throws Exception {
        RunbookWorkflow workflow = start(RunbookWorkflowTest.ordersRunbook());
        runbooks.awaitState(RunbookState.AWAITING_APPROVAL);

        workflow.reject(new GateDecision("go-no-go", "orders-owner", "p99 latency doubled"));
        runbooks.result();

        assertThat(outcome()).isEqualTo("RolledBack");
    }

    @Test
    void aCancelledRunbookEndsCancelled() throws Exception {
        start(RunbookWorkflowTest.ordersRunbook());
        runbooks.awaitState(RunbookState.AWAITING_APPROVAL);

        WorkflowStub.fromTyped(runbooks.workflow()).cancel();
        runbooks.awaitState(RunbookState.ROLLED_BACK);
        catchThrowable(runbooks::result);

        assertThat(outcome()).isEqualTo("Cancelled");
    }

    @Test
    void aRunbookThatCannotRunEndsFailed() {
        runbooks = new TimeSkippingRunbooks("apiVersion: runbook/v1\nname: x\n",
                new RunbookRequest(null, "alice"), fakes -> { });
        assertThat(catchThrowable(runbooks::result)).isNotNull();
        runbooks.sleep(Duration.ofSeconds(1));

        assertThat(outcome()).isEqualTo("Failed");
    }
}
