package org.runbooks.runbook;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.ControlEntry;
import org.runbooks.api.GateAuditEntry;
import org.runbooks.api.GateDecision;
import org.runbooks.api.PauseRequest;
import org.runbooks.api.RunbookRequest;
import org.runbooks.api.RunbookResult;
import org.runbooks.api.RunbookState;
import org.runbooks.api.RunbookStatus;
import org.runbooks.api.RunbookWorkflow;
import org.runbooks.api.Tune;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Operators do not know when a runbook continues as new, so nothing they send may be lost while it does: signals
 * that reach the old run are carried over, and the ones that reach the server while the old run is handing over
 * make the server refuse the hand-over until the old run has seen them. With a history limit of 1 event every phase
 * boundary below continues as new, so a burst sent right after the first gate is approved races the first hand-over, and
 * its tail the next ones.
 */
class SignalsAcrossContinueAsNewTest {

    private static final String GATE_THEN_THREE_FLAGS_THEN_GATE = """
            apiVersion: runbook/v1
            name: burst
            phases:
              - name: first
                steps:
                  - id: a
                    flag: { connection: target, name: a, enabled: true }
                  - id: go-1
                    gate: { approvers: [ann] }
              - name: one
                steps:
                  - id: b
                    flag: { connection: target, name: b, enabled: true }
              - name: two
                steps:
                  - id: c
                    flag: { connection: target, name: c, enabled: true }
              - name: three
                steps:
                  - id: d
                    flag: { connection: target, name: d, enabled: true }
              - name: decide
                steps:
                  - id: go-2
                    gate: { approvers: [ann] }
            """;

    private static final Set<String> OPERATOR_SIGNALS = Set.of("pause", "resume", "approve");
    /**
     * Rounds of pause, resume and a refused approval sent until the first run has handed over. The pause between
     * rounds grows: a run signalled without a break cannot hand over at all (the server refuses every attempt that
     * missed a signal), so a burst that never slows down would only postpone continue-as-new, not race it.
     */
    private static final int MAX_ROUNDS = 200;
    /** Rounds sent once the first run has handed over; they reach later runs, some while those hand over too. */
    private static final int ROUNDS_AFTER_HAND_OVER = 5;

    private TimeSkippingRunbooks runbooks;

    @AfterEach
    void close() {
        if (runbooks != null) {
            runbooks.close();
        }
    }

    @Test
    void aBurstOfSignalsAroundContinueAsNewEndsUpInTheControlsAndTheAudit() {
        runbooks = new TimeSkippingRunbooks(GATE_THEN_THREE_FLAGS_THEN_GATE,
                new RunbookRequest("runbooks/test.yaml", "alice", 1, null));
        RunbookWorkflow workflow = runbooks.workflow();
        List<Tuple> controls = new ArrayList<>();
        List<String> audited = new ArrayList<>();
        runbooks.awaitState(RunbookState.AWAITING_APPROVAL);

        workflow.tune(new Tune("dave", 700, null));
        controls.add(tuple("tune", "dave"));
        pauseAndResume(workflow, "op-first", controls);
        refusedApproval(workflow, "eve-first", audited);
        workflow.approve(new GateDecision("go-1", "ann", "go"));
        audited.add("ann");
        String firstRun = currentRun();
        int round = 0;
        while (currentRun().equals(firstRun)) {
            round++;
            assertThat(round).as("the first run handed over while signals came in").isLessThan(MAX_ROUNDS);
            pauseAndResume(workflow, "op-" + round, controls);
            refusedApproval(workflow, "eve-" + round, audited);
            pause(round);
        }
        for (int i = 0; i < ROUNDS_AFTER_HAND_OVER; i++) {
            round++;
            pauseAndResume(workflow, "op-" + round, controls);
            refusedApproval(workflow, "eve-" + round, audited);
        }
        runbooks.awaitGate("go-2");
        pauseAndResume(workflow, "op-last", controls);
        refusedApproval(workflow, "eve-last", audited);
        workflow.approve(new GateDecision("go-2", "ann", "done"));
        audited.add("ann");

        RunbookResult result = runbooks.result();
        assertThat(result.outcome()).isEqualTo(RunbookState.COMPLETED);
        RunbookStatus status = workflow.status();
        assertThat(status.controls()).extracting(ControlEntry::command, ControlEntry::by).containsExactlyElementsOf(controls);
        assertThat(status.controls()).noneMatch(c -> c.detail() != null && c.detail().startsWith("ignored"));
        assertThat(result.audit()).extracting(GateAuditEntry::by).containsExactlyElementsOf(audited);
        assertThat(status.knobs().chunkRows()).isEqualTo(700);
        assertThat(status.knobs().paused()).isFalse();

        RunChain chain = RunChain.of(runbooks.client(), "rb-test");
        assertThat(chain.size()).as("a run per phase").isEqualTo(5);
        assertThat(chain.signals(OPERATOR_SIGNALS)).as("every signal reached exactly one run")
                .isEqualTo(controls.size() - 1 + audited.size());
        assertThat(chain.signals(0, OPERATOR_SIGNALS)).as("the first run got at least what was sent before go-1 "
                + "was approved").isGreaterThanOrEqualTo(4);
        assertThat(chain.signals(4, OPERATOR_SIGNALS)).as("the last run got what was sent at go-2")
                .isGreaterThanOrEqualTo(4);
        assertThat(IntStream.range(1, 5).mapToLong(run -> chain.signals(run, OPERATOR_SIGNALS)).sum())
                .as("the rounds sent after the first hand-over, and what was sent at go-2, reached later runs")
                .isGreaterThanOrEqualTo(3L * ROUNDS_AFTER_HAND_OVER + 4);
    }

    /**
     * A signal can reach a continued run before its workflow method has taken back the carry-over (the SDK runs
     * handlers of the first task first). Started here with the carry-over of a real hand-over and a pause in the same
     * task, the run must keep the earlier controls first and stay paused: the carried knobs must not overwrite it.
     */
    @Test
    void aSignalInTheFirstTaskOfAContinuedRunComesAfterTheCarriedControlsAndIsNotLost() {
        runbooks = new TimeSkippingRunbooks(GATE_THEN_THREE_FLAGS_THEN_GATE,
                new RunbookRequest("runbooks/test.yaml", "alice", 1, null));
        RunbookWorkflow workflow = runbooks.workflow();
        runbooks.awaitState(RunbookState.AWAITING_APPROVAL);
        workflow.tune(new Tune("dave", 700, null));
        workflow.pause(new PauseRequest("op-first", "checking"));
        workflow.resume(new PauseRequest("op-first", "checked"));
        workflow.approve(new GateDecision("go-1", "ann", "go"));
        runbooks.awaitGate("go-2");
        RunChain chain = RunChain.of(runbooks.client(), "rb-test");
        RunbookRequest continued = runbooks.client().getOptions().getDataConverter().fromPayloads(0,
                java.util.Optional.of(RunChain.started(chain.runs().get(1)).getInput()),
                RunbookRequest.class, RunbookRequest.class);
        assertThat(continued.carryOver()).as("the second run was started with a carry-over").isNotNull();

        io.temporal.client.WorkflowStub copy = runbooks.client().newUntypedWorkflowStub(RunbookWorkflow.TYPE,
                io.temporal.client.WorkflowOptions.newBuilder().setTaskQueue(TimeSkippingRunbooks.QUEUE)
                        .setWorkflowId("rb-copy").build());
        copy.signalWithStart("pause", new Object[] {new PauseRequest("late-op", "hold")}, new Object[] {continued});
        RunbookWorkflow copied = runbooks.client().newWorkflowStub(RunbookWorkflow.class, "rb-copy");
        RunbookStatus status = copied.status();
        for (int i = 0; i < 100 && status.controls().size() < 4; i++) {
            runbooks.sleep(java.time.Duration.ofMillis(500));
            status = copied.status();
        }
        assertThat(status.controls()).extracting(ControlEntry::command, ControlEntry::by).containsExactly(
                tuple("tune", "dave"), tuple("pause", "op-first"), tuple("resume", "op-first"),
                tuple("pause", "late-op"));
        assertThat(status.knobs().paused()).as("the pause sent in the first task holds").isTrue();
        assertThat(status.knobs().chunkRows()).isEqualTo(700);
    }

    private String currentRun() {
        return runbooks.client().newUntypedWorkflowStub("rb-test").describe().getExecution().getRunId();
    }

    /** Waits 5 ms more after each round, up to half a second. */
    private static void pause(int round) {
        try {
            Thread.sleep(Math.min(5L * round, 500));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void pauseAndResume(RunbookWorkflow workflow, String by, List<Tuple> controls) {
        send(() -> workflow.pause(new PauseRequest(by, "checking")));
        send(() -> workflow.resume(new PauseRequest(by, "checked")));
        controls.add(tuple("pause", by));
        controls.add(tuple("resume", by));
    }

    /** An approval by someone who is no approver: refused whatever the gate, and audited. */
    private static void refusedApproval(RunbookWorkflow workflow, String by, List<String> audited) {
        send(() -> workflow.approve(new GateDecision("go-2", by, "let me")));
        audited.add(by);
    }

    /**
     * Sends a signal. The time-skipping test server can answer NOT_FOUND in the instant between a run's close and
     * its successor's start (the real server switches atomically); the sender is told, so nothing is lost silently,
     * and sends it again. Every signal is still counted once in the runs' histories below.
     */
    private static void send(Runnable signal) {
        for (int attempt = 1; ; attempt++) {
            try {
                signal.run();
                return;
            } catch (io.temporal.client.WorkflowNotFoundException e) {
                if (attempt == 50) {
                    throw e;
                }
                pause(1);
            }
        }
    }
}
