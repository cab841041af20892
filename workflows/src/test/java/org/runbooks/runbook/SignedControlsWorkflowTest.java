package org.runbooks.runbook;

import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.runbooks.api.ApprovalKeys;
import org.runbooks.api.ApproverKey;
import org.runbooks.api.ControlEntry;
import org.runbooks.api.RollbackRequest;
import org.runbooks.api.RunbookRequest;
import org.runbooks.api.RunbookState;
import org.runbooks.api.RunbookStatus;
import org.runbooks.api.StepResolution;
import org.runbooks.api.Tune;
import org.runbooks.gate.SshKeygen;
import org.runbooks.gate.SshPublicKey;
import org.runbooks.gate.SshSignature;
import org.runbooks.phase.PhaseWorkflowImpl;
import org.runbooks.ui.CurrentDetails;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A runbook's {@code controls:} block restricts the operator commands with consequences to named principals and,
 * signed, to their own keys' signatures over each command's statement; every refusal is kept in the control log.
 */
class SignedControlsWorkflowTest {

    private static final String RUNBOOK = """
            apiVersion: runbook/v1
            name: controlled
            controls: { rollback: [alice], tune: [carol], signed: true }
            phases:
              - name: only
                steps:
                  - id: copy
                    backfill: { from: { connection: legacy, table: orders }, to: { connection: target, table: orders_v2 }, key: [id] }
                  - id: canary
                    onFailure: pause
                    flag: { connection: target, name: orders.read_v2, percent: 10 }
                  - id: go
                    gate: { approvers: [dba, alice] }
            """;

    @TempDir
    static Path dir;
    static SshKeygen keygen;
    static Path alice;
    static Path dba;
    static Path mallory;

    private TimeSkippingRunbooks runbooks;

    @BeforeAll
    static void keys() throws Exception {
        keygen = new SshKeygen(dir);
        alice = keygen.key("alice", "ed25519", 0);
        dba = keygen.key("dba", "ed25519", 0);
        mallory = keygen.key("mallory", "ed25519", 0);
    }

    @AfterEach
    void close() {
        if (runbooks != null) {
            runbooks.close();
        }
    }

    private RunbookStatus failedAndWaiting() throws Exception {
        ApprovalKeys keys = new ApprovalKeys(false, "allowed_signers", List.of(
                new ApproverKey("alice", keygen.publicKey(alice)), new ApproverKey("dba", keygen.publicKey(dba))));
        runbooks = new TimeSkippingRunbooks(RUNBOOK, new RunbookRequest("runbooks/test.yaml", "alice"), fakes -> {
            fakes.loader.approvals = keys;
            fakes.flags.failingFlag = "orders.read_v2";
        });
        RunbookStatus status = runbooks.awaitState(RunbookState.STEP_FAILED, Duration.ofMinutes(5));
        runbooks.activities().flags.failingFlag = null;
        return status;
    }

    private static String sign(Path key, String statement) throws Exception {
        return keygen.sign(key, SshSignature.NAMESPACE, statement);
    }

    @Test
    void skippingAFailedStepTakesAGateApproversSignatureOverTheStatementStatusShows() throws Exception {
        // Signed before the runbook waits: while a test thread works and nothing is in flight, the time-skipping
        // server would jump to the workflow's timeout.
        String statement = "runbook-control/v1 workflow=rb-test command=skip subject=canary seq=1";
        String byMallory = sign(mallory, statement);
        String byDba = sign(dba, statement);
        RunbookStatus status = failedAndWaiting();
        assertThat(status.failure().skipStatement()).isEqualTo(statement);
        assertThat(status.failure().skipBy()).containsExactly("dba", "alice");
        assertThat(CurrentDetails.render("rb-test", status)).contains("Skipping takes a signed command by one of "
                + "dba, alice").contains(statement);

        runbooks.workflow().resolveFailure(new StepResolution("canary", "skip", "carol", "not needed"));
        runbooks.workflow().resolveFailure(new StepResolution("canary", "skip", "dba", "unsigned"));
        runbooks.workflow().resolveFailure(new StepResolution("canary", "skip", "dba", "mallory's key", byMallory));
        assertThat(runbooks.workflow().status().state()).isEqualTo(RunbookState.STEP_FAILED);
        runbooks.workflow().resolveFailure(new StepResolution("canary", "skip", "dba", "not needed", byDba));
        runbooks.awaitState(RunbookState.AWAITING_APPROVAL);
        Throwable tune = catchThrowable(() -> runbooks.workflow().tune(new Tune("eve", 500, null, null)));

        assertThat(tune).isInstanceOf(WorkflowUpdateException.class);
        assertThat(((ApplicationFailure) tune.getCause()).getType()).isEqualTo("ControlRefused");
        assertThat(runbooks.workflow().status().knobs().chunkRows()).isNull();
        assertThat(runbooks.workflow().status().controls()).extracting(ControlEntry::command, ControlEntry::by,
                c -> c.key() != null).containsExactly(
                tuple("resolveFailure", "carol", false), tuple("resolveFailure", "dba", false),
                tuple("resolveFailure", "dba", false), tuple("skip", "dba", true), tuple("tune", "eve", false));
        assertThat(runbooks.workflow().status().controls()).extracting(ControlEntry::detail).satisfies(details -> {
            assertThat(details.get(0)).isEqualTo("ignored: 'carol' may not skip this runbook; its controls allow "
                    + "dba, alice");
            assertThat(details.get(1)).startsWith("ignored: this runbook takes signed skip commands only: sign the "
                    + "statement '" + statement + "'");
            assertThat(details.get(2)).contains("which is not a key of 'dba'");
        });
        assertThat(runbooks.workflow().status().controls().get(3).key())
                .isEqualTo(SshPublicKey.parse(keygen.publicKey(dba)).fingerprint());
    }

    @Test
    void onlyTheNamedPrincipalsRollBackOrTuneEachWithTheirOwnSignature() throws Exception {
        String rollback = "runbook-control/v1 workflow=rb-test command=rollback subject=rollback seq=1";
        String replayed = sign(alice, rollback.replace("seq=1", "seq=2"));
        String signed = sign(alice, rollback);
        failedAndWaiting();

        runbooks.workflow().rollback(new RollbackRequest("dba", "not mine to call"));
        runbooks.workflow().rollback(new RollbackRequest("alice", "replayed", replayed));
        assertThat(runbooks.workflow().status().state()).isEqualTo(RunbookState.STEP_FAILED);
        runbooks.workflow().rollback(new RollbackRequest("alice", "error rate", signed));

        assertThat(runbooks.resultOnceRolledBack().outcome()).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(runbooks.workflow().status().controls()).extracting(ControlEntry::command, ControlEntry::by,
                c -> c.key() != null).containsExactly(tuple("rollback", "dba", false),
                tuple("rollback", "alice", false), tuple("rollback", "alice", true));
        WorkflowReplayer.replayWorkflowExecution(runbooks.client().fetchHistory("rb-test"),
                RunbookWorkflowImpl.class, PhaseWorkflowImpl.class);
    }
}
