package org.runbooks.runbook;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.GateAuditEntry;
import org.runbooks.api.GateDecision;
import org.runbooks.api.RunbookResult;
import org.runbooks.api.RunbookState;
import org.runbooks.api.RunbookWorkflow;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Gates with the two-person rule, the proceed-if-validated timeout policy, and reminders; runbooks start as alice. */
class GatePolicyWorkflowTest {

    private TimeSkippingRunbooks runbooks;

    @AfterEach
    void close() {
        if (runbooks != null) {
            runbooks.close();
        }
    }

    private static String withGate(String gate, boolean validateFirst) {
        return """
                apiVersion: runbook/v1
                name: gates
                phases:
                  - name: check
                    steps:
                      - id: flag
                        flag: { connection: target, name: orders.read_v2, percent: 5 }
                """ + (validateFirst ? """
                      - id: parity
                        validate: { between: { source: legacy.orders, target: target.orders_v2 }, key: [id] }
                """ : "") + """
                  - name: decide
                    steps:
                      - id: go
                        gate: %s
                """.formatted(gate);
    }

    @Test
    void underTheTwoPersonRuleTheStartersApprovalAloneIsNotEnough() {
        runbooks = new TimeSkippingRunbooks(withGate("{ approvers: [alice, bob], twoPersonRule: true }", false));
        RunbookWorkflow workflow = runbooks.workflow();
        runbooks.awaitState(RunbookState.AWAITING_APPROVAL);

        workflow.approve(new GateDecision("go", "alice", "my own change looks fine"));
        runbooks.sleep(Duration.ofMinutes(5));
        assertThat(workflow.status().state()).isEqualTo(RunbookState.AWAITING_APPROVAL);
        assertThat(workflow.status().gate().approvedBy()).containsExactly("alice");

        workflow.approve(new GateDecision("go", "bob", "second pair of eyes"));
        RunbookResult result = runbooks.result();

        assertThat(result.outcome()).isEqualTo(RunbookState.COMPLETED);
        assertThat(result.audit()).extracting(GateAuditEntry::by).containsExactly("alice", "bob");
    }

    @Test
    void withoutTheRuleTheStarterMayApproveAlone() {
        runbooks = new TimeSkippingRunbooks(withGate("{ approvers: [alice, bob] }", false));
        runbooks.awaitState(RunbookState.AWAITING_APPROVAL);

        runbooks.workflow().approve(new GateDecision("go", "alice", "fine"));

        assertThat(runbooks.result().outcome()).isEqualTo(RunbookState.COMPLETED);
    }

    @Test
    void aSilentGateProceedsWhenTheLatestValidationPassed() {
        runbooks = new TimeSkippingRunbooks(withGate(
                "{ approvers: [bob], timeout: PT4H, onTimeout: proceed-if-validated }", true));

        RunbookResult result = runbooks.result();

        assertThat(result.outcome()).isEqualTo(RunbookState.COMPLETED);
        assertThat(result.audit()).singleElement().satisfies(entry -> {
            assertThat(entry.by()).isEqualTo("timeout");
            assertThat(entry.decision()).isEqualTo("approve");
            assertThat(entry.comment()).isEqualTo(
                    "proceed: gate go timed out after PT4H; proceeding because the latest validation passed");
        });
    }

    @Test
    void aSilentGateWithNoValidationBeforeItRollsBack() {
        runbooks = new TimeSkippingRunbooks(withGate(
                "{ approvers: [bob], timeout: PT4H, onTimeout: proceed-if-validated }", false));

        RunbookResult result = runbooks.result();

        assertThat(result.outcome()).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(result.reason()).isEqualTo("gate go timed out after PT4H and no validation ran before it");
        assertThat(runbooks.activities().calls).contains("restoreFlag:orders.read_v2");
    }

    @Test
    void aWaitingGateSendsARemindersEveryIntervalUntilItTimesOut() {
        runbooks = new TimeSkippingRunbooks(withGate(
                "{ approvers: [bob], timeout: PT3H, remind: { webhook: ops-channel, every: PT1H } }", false));

        RunbookResult result = runbooks.result();

        assertThat(result.outcome()).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(runbooks.activities().notify.notifications).hasSize(2).allSatisfy(n -> {
            assertThat(n.webhook()).isEqualTo("ops-channel");
            assertThat(n.message()).startsWith("gate go of gates is waiting for 1 of [bob]; approve with: "
                    + "temporal workflow signal --workflow-id rb-test --name approve");
        });
        assertThat(runbooks.activities().notify.notifications).extracting(n -> n.idempotencyKey().replaceAll(".*/", ""))
                .containsExactly("remind-1", "remind-2");
    }

    @Test
    void aDecisionStopsTheReminders() {
        runbooks = new TimeSkippingRunbooks(withGate(
                "{ approvers: [bob], remind: { webhook: ops-channel, every: PT1H } }", false));
        runbooks.awaitState(RunbookState.AWAITING_APPROVAL);
        runbooks.sleep(Duration.ofMinutes(90));

        runbooks.workflow().approve(new GateDecision("go", "bob", "ok"));
        RunbookResult result = runbooks.result();

        assertThat(result.outcome()).isEqualTo(RunbookState.COMPLETED);
        assertThat(runbooks.activities().notify.notifications).hasSize(1);
    }
}
