package org.runbooks.runbook;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.runbooks.api.GateDecision;
import org.runbooks.api.RollbackRequest;
import org.runbooks.api.RunbookRequest;
import org.runbooks.api.RunbookResult;
import org.runbooks.api.RunbookState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rollback signal at any phase undoes exactly what was started, last first: every phase before it and the steps
 * of the phase that waits, and nothing of the phases after it. Each case runs in one run and, with a history limit
 * of 1 event, with every phase in a run of its own.
 */
class RollbackAtEachPhaseWorkflowTest {

    /** Four phases; each has two undoable steps and ends at a gate, where the test approves or rolls back. */
    private static final String FOUR_PHASES = """
            apiVersion: runbook/v1
            name: four-phases
            phases:
              - name: p1
                steps:
                  - id: copy-1
                    backfill: { from: { connection: legacy, table: orders }, to: { connection: target, table: orders_v2 }, key: [id] }
                  - id: flag-1
                    flag: { connection: target, name: f1, enabled: true }
                  - id: go-1
                    gate: { approvers: [ann] }
              - name: p2
                steps:
                  - id: flag-2
                    flag: { connection: target, name: f2, percent: 50 }
                  - id: sql-2
                    sql: { connection: target, apply: "create view v2 as select 1", revert: "drop view v2" }
                  - id: go-2
                    gate: { approvers: [ann] }
              - name: p3
                steps:
                  - id: copy-3
                    backfill: { from: { connection: legacy, table: items }, to: { connection: target, table: items_v2 }, key: [id] }
                  - id: sql-3
                    sql: { connection: target, apply: "create view v3 as select 1", revert: "drop view v3" }
                  - id: go-3
                    gate: { approvers: [ann] }
              - name: p4
                steps:
                  - id: flag-4
                    flag: { connection: target, name: f4, enabled: true }
                  - id: sql-4
                    sql: { connection: target, apply: "create view v4 as select 1", revert: "drop view v4" }
                  - id: go-4
                    gate: { approvers: [ann] }
            """;

    /** The undoable steps of each phase, in runbook order. */
    private static final List<List<String>> UNDOABLE = List.of(
            List.of("copy-1", "flag-1"), List.of("flag-2", "sql-2"), List.of("copy-3", "sql-3"),
            List.of("flag-4", "sql-4"));

    private TimeSkippingRunbooks runbooks;

    @AfterEach
    void close() {
        if (runbooks != null) {
            runbooks.close();
        }
    }

    private static Integer limit(String historyLimit) {
        return historyLimit == null ? null : Integer.valueOf(historyLimit);
    }

    /** Approves the gates of the phases before {@code phase}, then waits at that phase's gate. */
    private void runUpToTheGateOf(int phase, String historyLimit) {
        runbooks = new TimeSkippingRunbooks(FOUR_PHASES,
                new RunbookRequest("runbooks/test.yaml", "alice", limit(historyLimit), null));
        for (int before = 1; before < phase; before++) {
            runbooks.awaitGate("go-" + before);
            runbooks.workflow().approve(new GateDecision("go-" + before, "ann", "ok"));
        }
        runbooks.awaitGate("go-" + phase);
    }

    private static List<String> undoneLastFirst(int throughPhase) {
        List<String> steps = new ArrayList<>();
        UNDOABLE.subList(0, throughPhase).forEach(steps::addAll);
        Collections.reverse(steps);
        return steps;
    }

    @ParameterizedTest(name = "rollback at phase {0}, history limit {1}")
    @CsvSource({"1,", "2,", "3,", "4,", "1,1", "2,1", "3,1", "4,1"})
    void aRollbackAtPhaseKUndoesThePhasesUpToKInReverseOrder(int phase, String historyLimit) {
        runUpToTheGateOf(phase, historyLimit);

        runbooks.workflow().rollback(new RollbackRequest("carol", "stop at p" + phase));
        RunbookResult result = runbooks.resultOnceRolledBack();

        assertThat(result.outcome()).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(result.reason()).isEqualTo("rollback requested by carol: stop at p" + phase);
        assertThat(result.compensations()).extracting(c -> c.stepId()).containsExactlyElementsOf(undoneLastFirst(phase));
        assertThat(result.compensations()).allSatisfy(c -> assertThat(c.succeeded()).isTrue());
        List<String> undoCalls = runbooks.activities().calls.stream()
                .filter(c -> c.startsWith("restoreFlag:") || c.startsWith("removeCopiedRows:") || c.endsWith("/revert"))
                .toList();
        assertThat(undoCalls).hasSize(undoneLastFirst(phase).size());
        UNDOABLE.subList(phase, UNDOABLE.size()).forEach(later -> assertThat(runbooks.activities().calls)
                .noneMatch(call -> later.stream().anyMatch(call::contains)));
        int runs = RunChain.of(runbooks.client(), "rb-test").size();
        assertThat(runs).isEqualTo(historyLimit == null ? 1 : phase);
    }

    @Test
    void aRollbackDuringACopyUndoesTheCopyItInterruptedInTheRunThatStartedIt() {
        runUpToTheGateOf(2, "1");
        runbooks.activities().backfill.holdSlices = true;
        runbooks.workflow().approve(new GateDecision("go-2", "ann", "ok"));
        for (int i = 0; i < 200 && copiedSteps().size() < 2; i++) {
            runbooks.sleep(Duration.ofMillis(100));
        }
        assertThat(copiedSteps()).containsExactly("copy-1", "copy-3");

        runbooks.workflow().rollback(new RollbackRequest("carol", "copy too slow"));
        RunbookResult result = runbooks.resultOnceRolledBack();
        runbooks.activities().backfill.holdSlices = false;

        assertThat(result.compensations()).extracting(c -> c.stepId())
                .containsExactly("copy-3", "sql-2", "flag-2", "flag-1", "copy-1");
        assertThat(runbooks.activities().calls).doesNotContain("runSql:sql-3/apply", "runSql:sql-3/revert");
    }

    /** The backfill steps that started copying, in order. */
    private java.util.List<String> copiedSteps() {
        return runbooks.activities().backfill.slices.stream().map(c -> c.request().step().id()).distinct().toList();
    }
}
