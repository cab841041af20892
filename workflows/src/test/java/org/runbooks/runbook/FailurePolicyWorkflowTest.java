package org.runbooks.runbook;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.ControlEntry;
import org.runbooks.api.RunbookResult;
import org.runbooks.api.RunbookState;
import org.runbooks.api.RunbookStatus;
import org.runbooks.api.StepResolution;

import static org.assertj.core.api.Assertions.assertThat;

/** A step with {@code onFailure: pause} waits for an operator's retry, skip or rollback after its retries run out. */
class FailurePolicyWorkflowTest {

    private static final String RUNBOOK = """
            apiVersion: runbook/v1
            name: failure-policy
            phases:
              - name: only
                steps:
                  - id: copy
                    backfill: { from: { connection: legacy, table: orders }, to: { connection: target, table: orders_v2 }, key: [id] }
                  - id: canary
                    onFailure: pause
                    flag: { connection: target, name: orders.read_v2, percent: 10 }
                  - id: after
                    flag: { connection: target, name: orders.after, enabled: true }
            """;

    private TimeSkippingRunbooks runbooks;

    @AfterEach
    void close() {
        if (runbooks != null) {
            runbooks.close();
        }
    }

    private RunbookStatus failedAndWaiting() {
        runbooks = new TimeSkippingRunbooks(RUNBOOK);
        runbooks.activities().flags.failingFlag = "orders.read_v2";
        RunbookStatus status = runbooks.awaitState(RunbookState.STEP_FAILED, java.time.Duration.ofMinutes(5));
        runbooks.activities().flags.failingFlag = null;
        return status;
    }

    @Test
    void aPausedFailureShowsTheStepAndTheCommandsThenARetryRunsItAgain() {
        RunbookStatus status = failedAndWaiting();
        assertThat(status.failure().step()).isEqualTo("canary");
        assertThat(status.failure().reason()).startsWith("step canary failed: flags table is locked");
        assertThat(status.failure().retryCommand()).isEqualTo("temporal workflow signal --workflow-id rb-test"
                + " --name resolveFailure --input '{\"step\":\"canary\",\"action\":\"retry\",\"by\":\"YOU\","
                + "\"reason\":\"WHY\"}'");
        assertThat(runbooks.activities().calls).doesNotContain("setFlag:orders.after=100");

        runbooks.workflow().resolveFailure(new StepResolution("canary", "retry", "carol", "lock released"));
        RunbookResult result = runbooks.result();

        assertThat(result.outcome()).isEqualTo(RunbookState.COMPLETED);
        assertThat(runbooks.activities().calls.stream().filter("setFlag:orders.read_v2=10"::equals)).hasSize(11);
        assertThat(runbooks.activities().calls).endsWith("setFlag:orders.after=100");
        assertThat(runbooks.workflow().status().controls()).extracting(ControlEntry::command).containsExactly("retry");
    }

    @Test
    void aRollbackSignalWhileAStepWaitsFailedRollsBack() {
        failedAndWaiting();

        runbooks.workflow().rollback(new org.runbooks.api.RollbackRequest("carol", "give up"));

        assertThat(runbooks.resultOnceRolledBack().outcome()).isEqualTo(RunbookState.ROLLED_BACK);
    }

    @Test
    void skipGoesOnWithoutTheStep() {
        failedAndWaiting();

        runbooks.workflow().resolveFailure(new StepResolution("canary", "skip", "carol", "canary not needed"));

        assertThat(runbooks.result().outcome()).isEqualTo(RunbookState.COMPLETED);
        assertThat(runbooks.activities().calls).endsWith("setFlag:orders.after=100");
    }

    @Test
    void rollbackUndoesEverythingOnce() {
        failedAndWaiting();

        runbooks.workflow().resolveFailure(new StepResolution("canary", "rollback", "carol", "give up"));
        RunbookResult result = runbooks.resultOnceRolledBack();

        assertThat(result.outcome()).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(result.reason()).isEqualTo("rollback requested by carol: step canary failed; give up");
        assertThat(result.compensations()).extracting(c -> c.stepId()).containsExactly("canary", "copy");
    }

    @Test
    void aResolutionForAnotherStepIsRefusedAndAudited() {
        failedAndWaiting();

        runbooks.workflow().resolveFailure(new StepResolution("copy", "skip", "mallory", "skip it all"));
        runbooks.workflow().resolveFailure(new StepResolution("canary", "ignore", "mallory", "?"));

        RunbookStatus status = runbooks.workflow().status();
        assertThat(status.state()).isEqualTo(RunbookState.STEP_FAILED);
        assertThat(status.controls()).extracting(ControlEntry::detail).containsExactly(
                "ignored: step 'copy' is not waiting; the failed step is 'canary'",
                "ignored: action must be one of [retry, skip, rollback], not 'ignore'");
    }
}
