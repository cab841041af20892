package org.runbooks.runbook;

import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.GateAuditEntry;
import org.runbooks.api.GateDecision;
import org.runbooks.api.RunbookResult;
import org.runbooks.api.RunbookState;
import org.runbooks.api.RunbookStatus;
import org.runbooks.api.RunbookWorkflow;
import org.runbooks.phase.PhaseWorkflowImpl;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The approveGate and rejectGate updates refuse a wrong gate, an unknown approver or a second approval by the same
 * person with the reason, as the signals do, and the audit trail keeps every refused attempt: the handler records
 * it and then fails the update, typed GateDecisionRefused; so is input that names no gate or no one.
 */
class GateUpdateAuditWorkflowTest {

    private static final String TWO_APPROVERS = """
            apiVersion: runbook/v1
            name: two-approvers
            phases:
              - name: prepare
                steps:
                  - id: shadow
                    flag: { connection: target, name: orders.shadow, enabled: true }
              - name: decide
                steps:
                  - id: go
                    gate: { approvers: [ann, bob], quorum: 2 }
            """;

    private TimeSkippingRunbooks runbooks;

    @AfterEach
    void close() {
        if (runbooks != null) {
            runbooks.close();
        }
    }

    private static ApplicationFailure refusal(Throwable thrown) {
        assertThat(thrown).isInstanceOf(WorkflowUpdateException.class);
        Throwable cause = thrown.getCause();
        assertThat(cause).isInstanceOf(ApplicationFailure.class);
        return (ApplicationFailure) cause;
    }

    @Test
    void refusedUpdatesFailWithTheReasonAndStayInTheAuditTrail() throws Exception {
        runbooks = new TimeSkippingRunbooks(TWO_APPROVERS);
        RunbookWorkflow workflow = runbooks.workflow();
        runbooks.awaitState(RunbookState.AWAITING_APPROVAL);

        ApplicationFailure notAnApprover = refusal(catchThrowable(
                () -> workflow.approveGate(new GateDecision("go", "eve", "let me in"))));
        ApplicationFailure wrongGate = refusal(catchThrowable(
                () -> workflow.rejectGate(new GateDecision("stop", "ann", "typo"))));
        GateAuditEntry accepted = workflow.approveGate(new GateDecision("go", "ann", "fine"));
        ApplicationFailure twice = refusal(catchThrowable(
                () -> workflow.approveGate(new GateDecision("go", "ann", "really fine"))));

        assertThat(notAnApprover.getType()).isEqualTo("GateDecisionRefused");
        assertThat(notAnApprover.getOriginalMessage()).isEqualTo(
                "'eve' is not an approver of gate 'go' (approvers: ann, bob)");
        assertThat(wrongGate.getOriginalMessage()).isEqualTo("gate 'stop' is not waiting; the waiting gate is 'go'");
        assertThat(twice.getOriginalMessage()).isEqualTo("'ann' already approved gate 'go'");
        assertThat(accepted.accepted()).isTrue();
        RunbookStatus status = workflow.status();
        assertThat(status.state()).isEqualTo(RunbookState.AWAITING_APPROVAL);
        assertThat(status.gate().approvedBy()).containsExactly("ann");
        assertThat(status.audit()).extracting(GateAuditEntry::gate, GateAuditEntry::by, GateAuditEntry::decision,
                GateAuditEntry::accepted, GateAuditEntry::refusal).containsExactly(
                tuple("go", "eve", "approve", false, "'eve' is not an approver of gate 'go' (approvers: ann, bob)"),
                tuple("stop", "ann", "reject", false, "gate 'stop' is not waiting; the waiting gate is 'go'"),
                tuple("go", "ann", "approve", true, null),
                tuple("go", "ann", "approve", false, "'ann' already approved gate 'go'"));

        workflow.approveGate(new GateDecision("go", "bob", "agreed"));
        RunbookResult result = runbooks.result();
        assertThat(result.outcome()).isEqualTo(RunbookState.COMPLETED);
        assertThat(result.audit()).hasSize(5);
        WorkflowReplayer.replayWorkflowExecution(runbooks.client().fetchHistory("rb-test"),
                RunbookWorkflowImpl.class, PhaseWorkflowImpl.class);
    }

    @Test
    void anUpdateThatNamesNoGateOrNoApproverIsRefusedAsGateDecisionRefusedAndAudited() {
        runbooks = new TimeSkippingRunbooks(TWO_APPROVERS);
        RunbookWorkflow workflow = runbooks.workflow();
        runbooks.awaitState(RunbookState.AWAITING_APPROVAL);

        for (GateDecision malformed : List.of(new GateDecision("go", " ", "who am I"),
                new GateDecision("go", null, "nobody"))) {
            assertThatThrownBy(() -> workflow.approveGate(malformed)).isInstanceOf(WorkflowUpdateException.class)
                    .cause().isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
                        assertThat(failure.getType()).isEqualTo("GateDecisionRefused");
                        assertThat(failure.isNonRetryable()).isTrue();
                        assertThat(failure.getOriginalMessage()).startsWith("a decision names the gate and who decides");
                    });
        }
        assertThatThrownBy(() -> workflow.rejectGate(new GateDecision(null, "ann", "which gate")))
                .isInstanceOf(WorkflowUpdateException.class).cause().isInstanceOfSatisfying(ApplicationFailure.class,
                        failure -> assertThat(failure.getType()).isEqualTo("GateDecisionRefused"));

        assertThat(workflow.status().audit()).extracting(GateAuditEntry::by, GateAuditEntry::decision,
                GateAuditEntry::accepted).containsExactly(tuple(" ", "approve", false), tuple(null, "approve", false),
                tuple("ann", "reject", false));
        assertThat(workflow.status().state()).isEqualTo(RunbookState.AWAITING_APPROVAL);
    }

    @Test
    void aSignalWhosePayloadIsNotADecisionIsRefusedAndAudited() {
        runbooks = new TimeSkippingRunbooks(TWO_APPROVERS);
        RunbookWorkflow workflow = runbooks.workflow();
        runbooks.awaitState(RunbookState.AWAITING_APPROVAL);

        runbooks.client().newUntypedWorkflowStub("rb-test").signal("approve", "ann says yes");
        runbooks.client().newUntypedWorkflowStub("rb-test").signal("reject", List.of("go", "bob"));

        assertThat(workflow.status().audit()).extracting(GateAuditEntry::by, GateAuditEntry::decision,
                GateAuditEntry::comment, GateAuditEntry::accepted).containsExactly(
                tuple(null, "approve", "unreadable decision: \"ann says yes\"", false),
                tuple(null, "reject", "unreadable decision: [\"go\",\"bob\"]", false));
        assertThat(workflow.status().state()).isEqualTo(RunbookState.AWAITING_APPROVAL);
    }
}
