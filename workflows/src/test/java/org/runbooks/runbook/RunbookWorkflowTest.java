package org.runbooks.runbook;

import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.ControlEntry;
import org.runbooks.api.GateAuditEntry;
import org.runbooks.api.GateDecision;
import org.runbooks.api.Knobs;
import org.runbooks.api.PauseRequest;
import org.runbooks.api.RollbackRequest;
import org.runbooks.api.RunbookRequest;
import org.runbooks.api.RunbookResult;
import org.runbooks.api.RunbookState;
import org.runbooks.api.RunbookStatus;
import org.runbooks.api.RunbookWorkflow;
import org.runbooks.api.Tune;
import org.runbooks.step.StepOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The runbook workflow on Temporal's time-skipping test server, with recording stand-ins for the activities. */
public class RunbookWorkflowTest {

    /** Three compensable steps before the gate, so the rollback order is visible. */
    private static final String THREE_UNDOABLE_STEPS = """
            apiVersion: runbook/v1
            name: undo-order
            phases:
              - name: prepare
                steps:
                  - id: copy
                    backfill: { from: { connection: legacy, table: orders }, to: { connection: target, table: orders_v2 }, key: [id] }
                  - id: shadow-flag
                    flag: { connection: target, name: orders.shadow, enabled: true }
                  - id: compat-view
                    sql: { connection: target, apply: "create view v as select 1", revert: "drop view v" }
              - name: decide
                steps:
                  - id: go
                    gate: { approvers: [ann, bob], quorum: 2 }
            """;

    private TimeSkippingRunbooks runbooks;
    private FakeActivities activities;

    private RunbookWorkflow start(String runbookText) {
        return start(runbookText, fakes -> { });
    }

    private RunbookWorkflow start(String runbookText, java.util.function.Consumer<FakeActivities> setUp) {
        runbooks = new TimeSkippingRunbooks(runbookText, new RunbookRequest("runbooks/test.yaml", "alice"), setUp);
        activities = runbooks.activities();
        return runbooks.workflow();
    }

    @AfterEach
    void close() {
        if (runbooks != null) {
            runbooks.close();
        }
    }

    public static String ordersRunbook() throws IOException {
        return Files.readString(Path.of("../runbooks/orders-to-v2.yaml"));
    }

    private RunbookStatus awaitState(RunbookWorkflow workflow, RunbookState state) {
        return runbooks.awaitState(state);
    }

    private RunbookResult result(RunbookWorkflow workflow) {
        return runbooks.result();
    }

    @Test
    void approvedRunbookCopiesValidatesWaitsAndFlipsTheFlag() throws IOException {
        RunbookWorkflow workflow = start(ordersRunbook());

        RunbookStatus waiting = awaitState(workflow, RunbookState.AWAITING_APPROVAL);
        assertThat(waiting.gate().gate()).isEqualTo("go-no-go");
        assertThat(waiting.gate().approveCommand()).contains("temporal workflow signal --workflow-id rb-test --name approve");
        assertThat(waiting.rowsCopied()).isEqualTo(1000);
        assertThat(activities.calls).doesNotContain("setFlag:orders.read_v2=100");

        workflow.approve(new GateDecision("go-no-go", "dba-oncall", "parity clean"));
        RunbookResult result = result(workflow);

        assertThat(result.outcome()).isEqualTo(RunbookState.COMPLETED);
        assertThat(activities.calls).containsExactly("loadRunbook:runbooks/test.yaml", "planCopy:copy-orders",
                "compare:parity", "setFlag:orders.read_v2=100");
        assertThat(result.evidence()).singleElement().satisfies(e -> assertThat(e.passed()).isTrue());
        assertThat(result.audit()).singleElement().satisfies(a -> {
            assertThat(a.by()).isEqualTo("dba-oncall");
            assertThat(a.accepted()).isTrue();
        });
        assertThat(result.compensations()).isEmpty();
        assertThat(workflow.status().state()).isEqualTo(RunbookState.COMPLETED);
    }

    @Test
    void rejectedGateRunsCompensationsInReverseOrder() {
        RunbookWorkflow workflow = start(THREE_UNDOABLE_STEPS);
        awaitState(workflow, RunbookState.AWAITING_APPROVAL);

        workflow.approve(new GateDecision("go", "ann", "fine by me"));
        workflow.reject(new GateDecision("go", "bob", "p99 latency doubled"));
        RunbookResult result = result(workflow);

        assertThat(result.outcome()).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(result.reason()).isEqualTo("gate go rejected by bob: p99 latency doubled");
        assertThat(activities.calls).containsSubsequence("planCopy:copy", "setFlag:orders.shadow=100",
                "runSql:compat-view/apply", "runSql:compat-view/revert", "restoreFlag:orders.shadow",
                "removeCopiedRows:copy");
        assertThat(result.compensations()).extracting(c -> c.stepId())
                .containsExactly("compat-view", "shadow-flag", "copy");
        assertThat(result.compensations()).allSatisfy(c -> assertThat(c.succeeded()).isTrue());
        assertThat(workflow.status().state()).isEqualTo(RunbookState.ROLLED_BACK);
    }

    @Test
    void quorumNeedsDistinctApproversAndRefusalsAreAudited() {
        RunbookWorkflow workflow = start(THREE_UNDOABLE_STEPS);
        awaitState(workflow, RunbookState.AWAITING_APPROVAL);

        workflow.approve(new GateDecision("go", "ann", "one"));
        workflow.approve(new GateDecision("go", "ann", "again"));
        workflow.approve(new GateDecision("nope", "bob", "wrong gate"));
        workflow.approve(new GateDecision("go", "eve", "not listed"));
        RunbookStatus still = awaitState(workflow, RunbookState.AWAITING_APPROVAL);
        assertThat(still.gate().approvedBy()).containsExactly("ann");

        workflow.approve(new GateDecision("go", "bob", "two"));
        RunbookResult result = result(workflow);

        assertThat(result.outcome()).isEqualTo(RunbookState.COMPLETED);
        assertThat(result.audit()).extracting(GateAuditEntry::accepted).containsExactly(true, false, false, false, true);
        assertThat(result.audit().get(1).refusal()).isEqualTo("'ann' already approved gate 'go'");
        assertThat(result.audit().get(2).refusal()).isEqualTo("gate 'nope' is not waiting; the waiting gate is 'go'");
        assertThat(result.audit().get(3).refusal()).isEqualTo("'eve' is not an approver of gate 'go' (approvers: ann, bob)");
    }

    @Test
    void activityFailingAfterRetriesRollsBackWhatCompleted() throws IOException {
        RunbookWorkflow workflow = start(ordersRunbook());
        activities.flags.failingFlag = "orders.read_v2";
        awaitState(workflow, RunbookState.AWAITING_APPROVAL);

        workflow.approve(new GateDecision("go-no-go", "orders-owner", "go"));
        RunbookResult result = result(workflow);

        assertThat(result.outcome()).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(result.reason()).startsWith("step read-v2 failed: flags table is locked");
        long attempts = activities.calls.stream().filter(c -> c.equals("setFlag:orders.read_v2=100")).count();
        assertThat(attempts).isEqualTo(StepOptions.FORWARD_RETRIES.getMaximumAttempts());
        assertThat(result.compensations()).extracting(c -> c.stepId()).containsExactly("read-v2", "copy-orders");
        assertThat(activities.calls).endsWith("restoreFlag:orders.read_v2", "removeCopiedRows:copy-orders");
    }

    @Test
    void failedValidationRollsBackTheBackfillWithoutReachingTheGate() throws IOException {
        RunbookWorkflow workflow = start(ordersRunbook());
        activities.validation.validationPasses = false;

        RunbookResult result = result(workflow);

        assertThat(result.outcome()).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(result.reason()).isEqualTo("validation parity failed: row counts differ (source 1000, target 999)");
        assertThat(activities.calls).containsExactly("loadRunbook:runbooks/test.yaml", "planCopy:copy-orders",
                "compare:parity", "removeCopiedRows:copy-orders");
        assertThat(result.audit()).isEmpty();
    }

    @Test
    void gateTimeoutUnderRollbackPolicyRollsBack() throws IOException {
        RunbookWorkflow workflow = start(ordersRunbook());
        awaitState(workflow, RunbookState.AWAITING_APPROVAL);

        runbooks.sleep(Duration.ofDays(3).plusMinutes(1));
        RunbookResult result = result(workflow);

        assertThat(result.outcome()).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(result.reason()).isEqualTo("gate go-no-go timed out after PT72H with no decision");
        assertThat(activities.calls).endsWith("removeCopiedRows:copy-orders");
    }

    @Test
    void rollbackSignalAtTheGateUndoesEverythingCompleted() {
        RunbookWorkflow workflow = start(THREE_UNDOABLE_STEPS);
        awaitState(workflow, RunbookState.AWAITING_APPROVAL);

        workflow.rollback(new RollbackRequest("carol", "error rate on the canary"));
        RunbookResult result = runbooks.resultOnceRolledBack();

        assertThat(result.outcome()).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(result.reason()).isEqualTo("rollback requested by carol: error rate on the canary");
        assertThat(result.compensations()).extracting(c -> c.stepId())
                .containsExactly("compat-view", "shadow-flag", "copy");
    }

    @Test
    void cancellingTheWorkflowRunsTheCompensations() {
        RunbookWorkflow workflow = start(THREE_UNDOABLE_STEPS);
        awaitState(workflow, RunbookState.AWAITING_APPROVAL);

        WorkflowStub.fromTyped(workflow).cancel();
        awaitState(workflow, RunbookState.ROLLED_BACK);

        // Temporal closes a cancelled workflow as Canceled; the status query still tells what was undone.
        assertThatThrownBy(() -> result(workflow)).isInstanceOf(io.temporal.client.WorkflowFailedException.class)
                .rootCause().isInstanceOf(io.temporal.failure.CanceledFailure.class);
        RunbookStatus status = workflow.status();
        assertThat(status.state()).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(status.reason()).isEqualTo("the runbook workflow was cancelled");
        assertThat(activities.calls).endsWith("runSql:compat-view/revert", "restoreFlag:orders.shadow",
                "removeCopiedRows:copy");
    }

    @Test
    void approveGateUpdateRefusesOnTheSpotAndAcceptsAnApprover() {
        RunbookWorkflow workflow = start(THREE_UNDOABLE_STEPS);
        awaitState(workflow, RunbookState.AWAITING_APPROVAL);

        assertThatThrownBy(() -> workflow.approveGate(new GateDecision("go", "eve", "let me in")))
                .isInstanceOf(WorkflowUpdateException.class)
                .rootCause().hasMessageContaining("'eve' is not an approver of gate 'go' (approvers: ann, bob)");
        assertThatThrownBy(() -> workflow.rejectGate(new GateDecision("stop", "ann", "typo")))
                .isInstanceOf(WorkflowUpdateException.class)
                .rootCause().hasMessageContaining("gate 'stop' is not waiting; the waiting gate is 'go'");

        GateAuditEntry first = workflow.approveGate(new GateDecision("go", "ann", "ok"));
        assertThat(first.accepted()).isTrue();
        assertThat(workflow.status().gate().approvedBy()).containsExactly("ann");
        workflow.approveGate(new GateDecision("go", "bob", "ok too"));

        assertThat(result(workflow).outcome()).isEqualTo(RunbookState.COMPLETED);
    }

    @Test
    void searchAttributesShowWhoAGateWaitsOn() {
        RunbookWorkflow workflow = start(THREE_UNDOABLE_STEPS);
        awaitState(workflow, RunbookState.AWAITING_APPROVAL);

        var attributes = WorkflowStub.fromTyped(workflow).describe().getTypedSearchAttributes();
        assertThat(attributes.get(RunbookSearchAttributes.STATE)).isEqualTo("AwaitingApproval");
        assertThat(attributes.get(RunbookSearchAttributes.NAME)).isEqualTo("undo-order");
        assertThat(attributes.get(RunbookSearchAttributes.PHASE)).isEqualTo("decide");
        assertThat(attributes.get(RunbookSearchAttributes.WAITING_ON)).isEqualTo("ann,bob");

        workflow.approve(new GateDecision("go", "ann", "ok"));
        workflow.approve(new GateDecision("go", "bob", "ok"));
        result(workflow);
        var done = WorkflowStub.fromTyped(workflow).describe().getTypedSearchAttributes();
        assertThat(done.get(RunbookSearchAttributes.STATE)).isEqualTo("Completed");
        assertThat(done.get(RunbookSearchAttributes.WAITING_ON)).isEmpty();
    }

    private static final String ONE_COPY_THEN_GATE = """
            apiVersion: runbook/v1
            name: tunable
            phases:
              - name: copy
                steps:
                  - id: copy
                    backfill: { from: { connection: legacy, table: orders }, to: { connection: target, table: orders_v2 }, key: [id], chunkRows: 2000 }
              - name: decide
                steps:
                  - id: go
                    gate: { approvers: [ann] }
            """;

    private void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        for (int i = 0; i < 600; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out waiting until " + what);
    }

    @Test
    void pauseStopsTheRunningSliceAndResumeContinuesWithTheTunedKnobs() {
        RunbookWorkflow workflow = start(ONE_COPY_THEN_GATE, fakes -> {
            fakes.backfill.sourceRows = 10_000;
            fakes.backfill.chunksPerSlice = 1;
            fakes.backfill.holdSlices = true;
        });
        awaitTrue(() -> activities.backfill.slices.size() == 1, "the first slice started");
        assertThat(activities.backfill.slices.get(0).request().chunkRows()).isEqualTo(2000);

        workflow.pause(new PauseRequest("carol", "replica lag"));
        RunbookStatus paused = awaitState(workflow, RunbookState.PAUSED);
        assertThat(paused.knobs().pauseReason()).isEqualTo("replica lag");
        // The fake holds before its first chunk, so the pause stops the slice with nothing written.
        awaitTrue(() -> activities.backfill.slicesCancelled.get() == 1, "the pause stopped the running slice");
        activities.backfill.holdSlices = false;
        runbooks.sleep(Duration.ofMinutes(5));

        Knobs tuned = workflow.tune(new Tune("carol", 500, 1000L));
        assertThat(tuned.chunkRows()).isEqualTo(500);
        assertThat(tuned.paused()).isTrue();
        assertThat(activities.backfill.slices).as("no slice starts while paused").hasSize(1);
        assertThat(workflow.status().rowsCopied()).as("the stopped slice wrote nothing").isZero();

        workflow.resume(new PauseRequest("carol", "lag is back under 1s"));
        awaitState(workflow, RunbookState.AWAITING_APPROVAL);
        assertThat(activities.backfill.slices.subList(1, activities.backfill.slices.size())).allSatisfy(slice -> {
            assertThat(slice.request().chunkRows()).isEqualTo(500);
            assertThat(slice.request().rowsPerSecond()).isEqualTo(1000);
        });
        assertThat(workflow.status().rowsCopied()).isEqualTo(10_000);
        workflow.approve(new GateDecision("go", "ann", "ok"));
        assertThat(result(workflow).outcome()).isEqualTo(RunbookState.COMPLETED);
        assertThat(workflow.status().controls()).extracting(ControlEntry::command)
                .containsExactly("pause", "tune", "resume");
    }

    @Test
    void rowsCopiedMovesWithTheCopysProgressAndStaysWhenPaused() {
        RunbookWorkflow workflow = start(ONE_COPY_THEN_GATE, fakes -> {
            fakes.backfill.sourceRows = 10_000;
            fakes.backfill.chunksPerSlice = 1;
            fakes.backfill.sliceMillis = 300;
        });
        awaitTrue(() -> {
            RunbookStatus now = workflow.status();
            return now.progress() != null && now.progress().rowsDone() >= 4_000;
        }, "two slices of the copy committed");

        RunbookStatus copying = workflow.status();
        assertThat(copying.state()).isEqualTo(RunbookState.RUNNING);
        assertThat(copying.rowsCopied()).as("rows copied while the copy runs").isEqualTo(copying.progress().rowsDone());

        workflow.pause(new PauseRequest("carol", "look at the replica"));
        RunbookStatus paused = awaitState(workflow, RunbookState.PAUSED);
        assertThat(paused.rowsCopied()).as("rows copied while paused").isGreaterThanOrEqualTo(4_000)
                .isEqualTo(paused.progress().rowsDone());

        workflow.resume(new PauseRequest("carol", "fine"));
        awaitState(workflow, RunbookState.AWAITING_APPROVAL);
        assertThat(workflow.status().rowsCopied()).as("the step's rows, counted once").isEqualTo(10_000);
    }

    @Test
    void statusMovesWithEachChunkARunningSliceCommitsBeforeTheSliceEnds() {
        RunbookWorkflow workflow = start(ONE_COPY_THEN_GATE, fakes -> {
            fakes.backfill.sourceRows = 10_000;
            fakes.backfill.reportChunks = true;
            fakes.backfill.holdSlicesAfterWriting = true;
        });
        // One slice writes all five chunks of 2,000 rows, reports each, and has not ended yet.
        awaitTrue(() -> {
            RunbookStatus now = workflow.status();
            return now.progress() != null && now.progress().rowsDone() == 10_000;
        }, "the five chunks the running slice reported");

        RunbookStatus copying = workflow.status();
        assertThat(activities.backfill.slices).as("slices started").hasSize(1);
        assertThat(copying.state()).isEqualTo(RunbookState.RUNNING);
        assertThat(copying.progress().percent()).isEqualTo(99);
        assertThat(copying.rowsCopied()).isEqualTo(10_000);

        activities.backfill.holdSlicesAfterWriting = false;
        awaitState(workflow, RunbookState.AWAITING_APPROVAL);
        assertThat(workflow.status().rowsCopied()).as("the step's rows, counted once").isEqualTo(10_000);
        assertThat(workflow.status().progress().percent()).isEqualTo(100);
    }

    @Test
    void tuningWhileCopyingReachesTheNextSliceWithoutCuttingTheRunningOne() {
        RunbookWorkflow workflow = start(ONE_COPY_THEN_GATE, fakes -> {
            fakes.backfill.sourceRows = 10_000;
            fakes.backfill.chunksPerSlice = 1;
            fakes.backfill.holdSlices = true;
        });
        awaitTrue(() -> activities.backfill.slices.size() == 1, "the first slice started");

        Knobs tuned = workflow.tune(new Tune("dave", 8000, null));
        activities.backfill.holdSlices = false;

        assertThat(tuned.chunkRows()).isEqualTo(8000);
        awaitState(workflow, RunbookState.AWAITING_APPROVAL);
        assertThat(activities.backfill.slices).extracting(slice -> slice.request().chunkRows()).containsExactly(2000, 8000);
        assertThat(activities.backfill.slicesCancelled).hasValue(0);
        assertThat(workflow.status().knobs().chunkRows()).isEqualTo(8000);
        assertThat(workflow.status().rowsCopied()).isEqualTo(10_000);
    }

    @Test
    void tuneRefusesNonsenseOnTheSpot() {
        RunbookWorkflow workflow = start(ONE_COPY_THEN_GATE);
        awaitState(workflow, RunbookState.AWAITING_APPROVAL);

        assertThatThrownBy(() -> workflow.tune(new Tune("dave", 0, null)))
                .isInstanceOf(WorkflowUpdateException.class)
                .rootCause().hasMessageContaining("chunkRows must be 1 to 1000000, not 0");
        assertThatThrownBy(() -> workflow.tune(new Tune("dave", null, -5L)))
                .rootCause().hasMessageContaining("rowsPerSecond must be >= 0 (0 means no limit), not -5");
        assertThatThrownBy(() -> workflow.tune(new Tune("dave", null, null, 33)))
                .rootCause().hasMessageContaining("parallelism must be 1 to 32, not 33");
        assertThatThrownBy(() -> workflow.tune(new Tune("dave", null, null, 0)))
                .rootCause().hasMessageContaining("parallelism must be 1 to 32, not 0");
        assertThat(workflow.status().knobs()).isEqualTo(Knobs.initial());
    }
}
