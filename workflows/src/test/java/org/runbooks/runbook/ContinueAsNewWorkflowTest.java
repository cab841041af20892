package org.runbooks.runbook;

import io.temporal.client.WorkflowStub;
import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.ControlEntry;
import org.runbooks.api.GateAuditEntry;
import org.runbooks.api.GateDecision;
import org.runbooks.api.PauseRequest;
import org.runbooks.api.RollbackRequest;
import org.runbooks.api.RunbookRequest;
import org.runbooks.api.RunbookResult;
import org.runbooks.api.RunbookState;
import org.runbooks.api.RunbookStatus;
import org.runbooks.api.RunbookWorkflow;
import org.runbooks.api.Tune;
import org.runbooks.backfill.SliceRequest;
import org.runbooks.phase.PhaseWorkflowImpl;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The runbook continues as new between phases once its history passes {@code historyLimit}: a limit of 1 makes
 * every phase boundary hand over to a new run, so each of the five phases below runs in a run of its own.
 */
class ContinueAsNewWorkflowTest {

    private static final String FIVE_PHASES = """
            apiVersion: runbook/v1
            name: long-haul
            phases:
              - name: copy
                steps:
                  - id: copy
                    backfill: { from: { connection: legacy, table: orders }, to: { connection: target, table: orders_v2 }, key: [id] }
                  - id: parity
                    validate: { between: { source: legacy.orders, target: target.orders_v2 }, key: [id] }
              - name: shadow
                steps:
                  - id: shadow
                    flag: { connection: target, name: orders.shadow, enabled: true }
                  - id: go-1
                    gate: { approvers: [ann, bob] }
              - name: view
                steps:
                  - id: compat-view
                    sql: { connection: target, apply: "create view v as select 1", revert: "drop view v" }
              - name: items
                steps:
                  - id: copy-items
                    backfill: { from: { connection: legacy, table: items }, to: { connection: target, table: items_v2 }, key: [id] }
              - name: canary
                steps:
                  - id: read-v2
                    flag: { connection: target, name: orders.read_v2, percent: 10 }
                  - id: go-2
                    gate: { approvers: [ann] }
            """;

    private TimeSkippingRunbooks runbooks;

    @AfterEach
    void close() {
        if (runbooks != null) {
            runbooks.close();
        }
    }

    /** Starts with a history limit of one event, and runs until the canary gate waits, in the fifth run. */
    private RunbookWorkflow atTheCanaryGateAfterOperatorsActed() {
        runbooks = new TimeSkippingRunbooks(FIVE_PHASES, new RunbookRequest("runbooks/test.yaml", "alice", 1, null));
        RunbookWorkflow workflow = runbooks.workflow();
        runbooks.awaitState(RunbookState.AWAITING_APPROVAL);
        workflow.tune(new Tune("dave", 500, 2000L));
        workflow.pause(new PauseRequest("carol", "replica lag"));
        workflow.resume(new PauseRequest("carol", "lag gone"));
        workflow.approve(new GateDecision("go-1", "eve", "let me"));
        workflow.approve(new GateDecision("go-1", "ann", "shadow reads match"));
        runbooks.awaitGate("go-2");
        return workflow;
    }

    @Test
    void eachPhaseBoundaryPastTheLimitStartsANewRunThatKeepsTheRunbooksState() {
        RunbookWorkflow workflow = atTheCanaryGateAfterOperatorsActed();

        RunChain chain = RunChain.of(runbooks.client(), "rb-test");
        assertThat(chain.size()).as("one run per phase").isEqualTo(5);
        assertThat(RunChain.started(chain.runs().get(4)).getFirstExecutionRunId()).isEqualTo(chain.runId(0));
        assertThat(RunChain.started(chain.runs().get(4)).getSearchAttributes().getIndexedFieldsMap())
                .as("continue-as-new hands the search attributes on before the new run upserts them")
                .containsKeys("RunbookName", "RunbookPhase", "RunbookState", "RunbookWaitingOn");
        RunbookStatus status = workflow.status();
        assertThat(status.phase()).isEqualTo("canary");
        assertThat(status.state()).isEqualTo(RunbookState.AWAITING_APPROVAL);
        assertThat(status.stepsDone()).isEqualTo(7);
        assertThat(status.stepsTotal()).isEqualTo(8);
        assertThat(status.rowsCopied()).isEqualTo(2000);
        assertThat(status.evidence()).extracting(e -> e.stepId()).containsExactly("parity");
        assertThat(status.knobs().chunkRows()).isEqualTo(500);
        assertThat(status.knobs().rowsPerSecond()).isEqualTo(2000);
        assertThat(status.controls()).extracting(ControlEntry::command).containsExactly("tune", "pause", "resume");
        assertThat(status.audit()).extracting(GateAuditEntry::by, GateAuditEntry::accepted)
                .containsExactly(tuple("eve", false), tuple("ann", true));
        assertThat(runbooks.activities().calls.stream().filter(c -> c.startsWith("loadRunbook"))).as(
                "the runbook is read once; later runs use the text the first one loaded").hasSize(1);
        var attributes = WorkflowStub.fromTyped(workflow).describe().getTypedSearchAttributes();
        assertThat(attributes.get(RunbookSearchAttributes.STATE)).isEqualTo("AwaitingApproval");
        assertThat(attributes.get(RunbookSearchAttributes.PHASE)).isEqualTo("canary");
        assertThat(attributes.get(RunbookSearchAttributes.NAME)).isEqualTo("long-haul");
    }

    @Test
    void theMigrationReportOfAContinuedRunbookTimesThePhasesOfEveryRun() {
        RunbookWorkflow workflow = atTheCanaryGateAfterOperatorsActed();
        workflow.approve(new GateDecision("go-2", "ann", "canary is clean"));

        assertThat(runbooks.result().outcome()).isEqualTo(RunbookState.COMPLETED);
        assertThat(runbooks.activities().report.reports).hasSize(1);
        org.runbooks.report.MigrationReport report = runbooks.activities().report.reports.get(0);
        assertThat(report.phases()).extracting(org.runbooks.api.PhaseTiming::phase)
                .containsExactly("copy", "shadow", "view", "items", "canary");
        assertThat(report.phases()).allSatisfy(p -> assertThat(p.outcome()).isEqualTo("COMPLETED"));
        assertThat(report.startedAt()).as("the first run's start, not the last run's")
                .isLessThanOrEqualTo(report.phases().get(0).startedAt());
        assertThat(workflow.status().progress()).as("the latest backfill's progress survives the hand-overs")
                .isNotNull();
    }

    @Test
    void activitiesOfLaterRunsKeepTheFirstRunsIdempotencyKeys() {
        atTheCanaryGateAfterOperatorsActed();

        String firstRun = RunChain.of(runbooks.client(), "rb-test").runId(0);
        List<SliceRequest> slices = runbooks.activities().backfill.slices.stream().map(FakeBackfill.SliceCall::request)
                .toList();
        assertThat(slices.stream().map(r -> r.step().id()).distinct()).containsExactly("copy", "copy-items");
        assertThat(slices).allSatisfy(r -> assertThat(r.idempotencyKey()).startsWith("rb-test/" + firstRun + "/"));
        assertThat(slices).filteredOn(r -> r.step().id().equals("copy-items")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.chunkRows()).as("knobs carried over").isEqualTo(500));
    }

    @Test
    void aRollbackAfterContinueAsNewUndoesWhatEarlierRunsDidLastFirst() throws Exception {
        RunbookWorkflow workflow = atTheCanaryGateAfterOperatorsActed();

        workflow.rollback(new RollbackRequest("carol", "canary errors"));
        RunbookResult result = runbooks.resultOnceRolledBack();

        assertThat(result.outcome()).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(result.reason()).isEqualTo("rollback requested by carol: canary errors");
        assertThat(result.compensations()).extracting(c -> c.stepId())
                .containsExactly("read-v2", "copy-items", "compat-view", "shadow", "copy");
        assertThat(runbooks.activities().calls).endsWith("restoreFlag:orders.read_v2", "removeCopiedRows:copy-items",
                "runSql:compat-view/revert", "restoreFlag:orders.shadow", "removeCopiedRows:copy");
        assertThat(result.file()).isEqualTo("runbooks/test.yaml");
        assertThat(result.sha256()).isEqualTo("sha");
        assertThat(result.rowsCopied()).isEqualTo(2000);
        assertThat(result.evidence()).extracting(e -> e.stepId()).containsExactly("parity");
        assertThat(result.audit()).extracting(GateAuditEntry::by).containsExactly("eve", "ann");
        assertThat(workflow.status().controls()).extracting(ControlEntry::command)
                .containsExactly("tune", "pause", "resume", "rollback");
        for (var run : RunChain.of(runbooks.client(), "rb-test").runs()) {
            WorkflowReplayer.replayWorkflowExecution(run, RunbookWorkflowImpl.class, PhaseWorkflowImpl.class);
        }
    }

    @Test
    void cancellingAContinuedRunbookRunsTheCompensationsOfEveryRun() {
        RunbookWorkflow workflow = atTheCanaryGateAfterOperatorsActed();

        WorkflowStub.fromTyped(workflow).cancel();
        runbooks.awaitState(RunbookState.ROLLED_BACK);

        assertThatThrownBy(() -> runbooks.result()).isInstanceOf(io.temporal.client.WorkflowFailedException.class)
                .rootCause().isInstanceOf(io.temporal.failure.CanceledFailure.class);
        assertThat(workflow.status().reason()).isEqualTo("the runbook workflow was cancelled");
        assertThat(runbooks.activities().calls).endsWith("restoreFlag:orders.read_v2", "removeCopiedRows:copy-items",
                "runSql:compat-view/revert", "restoreFlag:orders.shadow", "removeCopiedRows:copy");
    }

    @Test
    void withTheDefaultLimitTheRunbookStaysInOneRun() {
        runbooks = new TimeSkippingRunbooks(FIVE_PHASES);
        runbooks.awaitState(RunbookState.AWAITING_APPROVAL);
        runbooks.workflow().approve(new GateDecision("go-1", "ann", "ok"));
        runbooks.awaitGate("go-2");
        runbooks.workflow().approve(new GateDecision("go-2", "ann", "ok"));

        assertThat(runbooks.result().outcome()).isEqualTo(RunbookState.COMPLETED);
        assertThat(RunChain.of(runbooks.client(), "rb-test").size()).isEqualTo(1);
    }
}
