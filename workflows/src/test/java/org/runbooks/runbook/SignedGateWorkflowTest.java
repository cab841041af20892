package org.runbooks.runbook;

import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.runbooks.api.GateAuditEntry;
import org.runbooks.api.GateDecision;
import org.runbooks.api.GateView;
import org.runbooks.api.RunbookRequest;
import org.runbooks.api.RunbookResult;
import org.runbooks.api.RunbookState;
import org.runbooks.api.RunbookStatus;
import org.runbooks.api.RunbookWorkflow;
import org.runbooks.api.ApprovalKeys;
import org.runbooks.api.ApproverKey;
import org.runbooks.gate.SshKeygen;
import org.runbooks.gate.SshPublicKey;
import org.runbooks.gate.SshSignature;
import org.runbooks.model.GateStep;
import org.runbooks.model.GateTimeoutPolicy;
import org.runbooks.phase.PhaseWorkflowImpl;
import org.runbooks.ui.CurrentDetails;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A signed gate takes a decision only with the approver's own key's signature over the gate's exact statement, made
 * by the real ssh-keygen; every refusal is audited with its reason, the quorum counts distinct keys, and a signature
 * counts for one opening and one body of evidence only.
 */
class SignedGateWorkflowTest {

    private static final String SIGNED = """
            apiVersion: runbook/v1
            name: signed
            phases:
              - name: decide
                steps:
                  - id: go
                    gate: { approvers: [alice, bob], quorum: 2, signed: true }
            """;
    private static final String UNSIGNED = SIGNED.replace(", signed: true", "");

    @TempDir
    static Path dir;
    static SshKeygen keygen;
    static Path alice;
    static Path bob;
    static Path mallory;

    private TimeSkippingRunbooks runbooks;

    @BeforeAll
    static void keys() throws Exception {
        keygen = new SshKeygen(dir);
        alice = keygen.key("alice", "ed25519", 0);
        bob = keygen.key("bob", "ecdsa", 256);
        mallory = keygen.key("mallory", "ed25519", 0);
    }

    @AfterEach
    void close() {
        if (runbooks != null) {
            runbooks.close();
        }
    }

    private static ApprovalKeys keys(boolean required) throws Exception {
        return new ApprovalKeys(required, "allowed_signers", List.of(new ApproverKey("alice", keygen.publicKey(alice)),
                new ApproverKey("bob", keygen.publicKey(bob))));
    }

    private static String sign(Path key, String statement) throws Exception {
        return keygen.sign(key, SshSignature.NAMESPACE, statement);
    }

    private static String refusal(Throwable thrown) {
        assertThat(thrown).isInstanceOf(WorkflowUpdateException.class);
        ApplicationFailure failure = (ApplicationFailure) thrown.getCause();
        assertThat(failure.getType()).isEqualTo("GateDecisionRefused");
        return failure.getOriginalMessage();
    }

    @Test
    void onlyEachApproversOwnSignatureOverTheStatementCountsAndEveryRefusalIsAudited() throws Exception {
        ApprovalKeys keys = keys(false);
        runbooks = new TimeSkippingRunbooks(SIGNED, new RunbookRequest("runbooks/test.yaml", "alice"),
                fakes -> fakes.loader.approvals = keys);
        RunbookWorkflow workflow = runbooks.workflow();
        GateView gate = runbooks.awaitState(RunbookState.AWAITING_APPROVAL).gate();
        String approve = gate.approveStatement();
        assertThat(gate.signed()).isTrue();
        assertThat(approve).startsWith("runbook-approval/v1 workflow=rb-test gate=go decision=approve opening=1 "
                + "evidence=sha256:");
        assertThat(CurrentDetails.render("rb-test", workflow.status())).contains(approve).contains("ssh-keygen -Y sign");

        assertThat(refusal(catchThrowable(() -> workflow.approveGate(new GateDecision("go", "alice", "unsigned")))))
                .startsWith("this gate takes signed decisions only");
        assertThat(refusal(catchThrowable(() -> workflow.approveGate(
                new GateDecision("go", "bob", "forged", sign(mallory, approve))))))
                .contains("which is not a key of 'bob'");
        assertThat(refusal(catchThrowable(() -> workflow.approveGate(
                new GateDecision("go", "bob", "alice's key as bob", sign(alice, approve))))))
                .contains("which is not a key of 'bob'");
        assertThat(refusal(catchThrowable(() -> workflow.approveGate(
                new GateDecision("go", "alice", "reject text", sign(alice, gate.rejectStatement()))))))
                .contains("not over this decision's statement");
        GateAuditEntry accepted = workflow.approveGate(new GateDecision("go", "alice", "ok", sign(alice, approve)));
        assertThat(accepted.key()).isEqualTo(SshPublicKey.parse(keygen.publicKey(alice)).fingerprint());
        assertThat(accepted.statement()).isEqualTo(approve);
        assertThat(refusal(catchThrowable(() -> workflow.approveGate(
                new GateDecision("go", "alice", "again", sign(alice, approve))))))
                .isEqualTo("'alice' already approved gate 'go'");
        assertThat(workflow.status().state()).isEqualTo(RunbookState.AWAITING_APPROVAL);

        runbooks.client().newWorkflowStub(RunbookWorkflow.class, "rb-test")
                .approve(new GateDecision("go", "bob", "by signal", sign(bob, approve)));
        RunbookResult result = runbooks.result();

        assertThat(result.outcome()).isEqualTo(RunbookState.COMPLETED);
        assertThat(result.audit()).extracting(GateAuditEntry::by, GateAuditEntry::accepted)
                .containsExactly(tuple("alice", false), tuple("bob", false), tuple("bob", false), tuple("alice", false),
                        tuple("alice", true), tuple("alice", false), tuple("bob", true));
        assertThat(result.audit().get(6).key()).isEqualTo(SshPublicKey.parse(keygen.publicKey(bob)).fingerprint());
        WorkflowReplayer.replayWorkflowExecution(runbooks.client().fetchHistory("rb-test"),
                RunbookWorkflowImpl.class, PhaseWorkflowImpl.class);
    }

    @Test
    void aWorkerThatRequiresSignaturesSignsEveryGateAndOneKeyCountsOnceWhateverNameItUses() throws Exception {
        ApprovalKeys shared = new ApprovalKeys(true, "allowed_signers", List.of(
                new ApproverKey("alice", keygen.publicKey(alice)), new ApproverKey("bob", keygen.publicKey(alice))));
        runbooks = new TimeSkippingRunbooks(UNSIGNED, new RunbookRequest("runbooks/test.yaml", "alice"),
                fakes -> fakes.loader.approvals = shared);
        RunbookWorkflow workflow = runbooks.workflow();
        GateView gate = runbooks.awaitState(RunbookState.AWAITING_APPROVAL).gate();
        assertThat(gate.signed()).isTrue();

        workflow.approveGate(new GateDecision("go", "alice", "ok", sign(alice, gate.approveStatement())));
        String refused = refusal(catchThrowable(() -> workflow.approveGate(
                new GateDecision("go", "bob", "same key", sign(alice, gate.approveStatement())))));

        assertThat(refused).contains("already approved gate 'go'; the quorum counts distinct keys");
        assertThat(workflow.status().state()).isEqualTo(RunbookState.AWAITING_APPROVAL);
    }

    private static final String TWO_PERSON = """
            apiVersion: runbook/v1
            name: two-person
            phases:
              - name: decide
                steps:
                  - id: go
                    gate: { approvers: [alice, bob], twoPersonRule: true, signed: true }
            """;

    @Test
    void aSignedTwoPersonGateNeedsASignedStartAndComparesTheStartersKeyNotHisName() throws Exception {
        ApprovalKeys keys = keys(false);
        runbooks = new TimeSkippingRunbooks(TWO_PERSON, new RunbookRequest("runbooks/test.yaml", "alice"),
                fakes -> fakes.loader.approvals = keys);
        assertThat(catchThrowable(runbooks::result)).hasStackTraceContaining(
                "the start is refused: this runbook's two-person gates need a signed start: sign the statement "
                        + "'runbook-start/v1 workflow=rb-test file=runbooks/test.yaml sha256=sha'");
        runbooks.close();

        String start = "runbook-start/v1 workflow=rb-test file=runbooks/test.yaml sha256=sha";
        runbooks = new TimeSkippingRunbooks(TWO_PERSON, new RunbookRequest("runbooks/test.yaml", "alice",
                sign(alice, start)), fakes -> fakes.loader.approvals = keys);
        RunbookWorkflow workflow = runbooks.workflow();
        GateView gate = runbooks.awaitState(RunbookState.AWAITING_APPROVAL).gate();
        workflow.approveGate(new GateDecision("go", "alice", "my own runbook", sign(alice, gate.approveStatement())));
        assertThat(workflow.status().state()).as("the starter's key alone does not pass a two-person gate")
                .isEqualTo(RunbookState.AWAITING_APPROVAL);
        workflow.approveGate(new GateDecision("go", "bob", "second person", sign(bob, gate.approveStatement())));

        assertThat(runbooks.result().outcome()).isEqualTo(RunbookState.COMPLETED);
    }

    @Test
    void aStartSignedByAnotherKeyIsRefused() throws Exception {
        ApprovalKeys keys = keys(false);
        String start = "runbook-start/v1 workflow=rb-test file=runbooks/test.yaml sha256=sha";
        runbooks = new TimeSkippingRunbooks(TWO_PERSON, new RunbookRequest("runbooks/test.yaml", "bob",
                sign(alice, start)), fakes -> fakes.loader.approvals = keys);

        assertThat(catchThrowable(runbooks::result)).hasStackTraceContaining("which is not a key of 'bob'");
    }

    @Test
    void withoutKeysTheGateSaysItsApproversAreSelfDeclared() {
        runbooks = new TimeSkippingRunbooks(UNSIGNED);
        RunbookStatus status = runbooks.awaitState(RunbookState.AWAITING_APPROVAL);

        assertThat(status.gate().signed()).isFalse();
        assertThat(status.gate().approveStatement()).isNull();
        assertThat(CurrentDetails.render("rb-test", status)).contains("Approvers are self-declared");
    }

    @Test
    void aSignatureCountsForItsOpeningAndItsEvidenceOnly() throws Exception {
        GateBook gates = new GateBook();
        gates.keys(keys(false));
        GateStep go = new GateStep("go", List.of("alice", "bob"), 2, null, GateTimeoutPolicy.ROLLBACK, false, null,
                true);
        gates.open("decide", go, "sha256:one");
        String first = gates.statement("wf", true);
        String signed = sign(alice, first);
        assertThat(gates.decide(new GateDecision("go", "alice", "ok", signed), true, "t1", "wf")).isEmpty();
        assertThat(gates.view("wf").approvedBy()).containsExactly("alice");

        gates.evidenceChanged("sha256:two", "t2");
        assertThat(gates.view("wf").approvedBy()).as("approvals over the earlier evidence no longer count").isEmpty();
        gates.decide(new GateDecision("go", "alice", "stale", signed), true, "t3", "wf");
        gates.close();
        gates.open("decide", go, "sha256:one");
        gates.decide(new GateDecision("go", "alice", "replayed at the next opening", signed), true, "t4", "wf");

        assertThat(gates.audit()).extracting(GateAuditEntry::decision, GateAuditEntry::accepted)
                .containsExactly(tuple("approve", true), tuple("withdraw", true), tuple("approve", false),
                        tuple("approve", false));
        assertThat(gates.audit().get(2).refusal()).contains("not over this decision's statement");
        assertThat(gates.statement("wf", true)).contains("opening=2").isNotEqualTo(first);
    }
}
