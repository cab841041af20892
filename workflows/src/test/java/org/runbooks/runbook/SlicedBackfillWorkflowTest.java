package org.runbooks.runbook;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.ControlEntry;
import org.runbooks.api.GateDecision;
import org.runbooks.api.Knobs;
import org.runbooks.api.PauseRequest;
import org.runbooks.api.RunbookRequest;
import org.runbooks.api.RunbookResult;
import org.runbooks.api.RunbookState;
import org.runbooks.api.RunbookStatus;
import org.runbooks.api.RunbookWorkflow;
import org.runbooks.api.Tune;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backfill driven by its phase in slices, on the time-skipping test server: parallel slices and their live
 * tuning, progress reports, and a phase that continues as new mid-copy without losing its cursors, knobs or the
 * signals sent around it.
 */
class SlicedBackfillWorkflowTest {

    /** One phase: a copy in four ranges, then a gate in the same phase, so a verdict must reach a later run. */
    private static final String COPY_THEN_GATE = """
            apiVersion: runbook/v1
            name: sliced
            phases:
              - name: copy
                steps:
                  - id: copy
                    backfill: { from: { connection: legacy, table: orders }, to: { connection: target, table: orders_v2 }, key: [id], chunkRows: 1000, parallelism: 4 }
                  - id: go
                    gate: { approvers: [ann] }
            """;

    private static final String CHILD = "rb-test/copy";

    private TimeSkippingRunbooks runbooks;
    private FakeActivities activities;

    private RunbookWorkflow start(Integer historyLimit, Consumer<FakeActivities> setUp) {
        runbooks = new TimeSkippingRunbooks(COPY_THEN_GATE, new RunbookRequest("runbooks/test.yaml", "alice",
                historyLimit), setUp);
        activities = runbooks.activities();
        return runbooks.workflow();
    }

    @AfterEach
    void close() {
        if (runbooks != null) {
            runbooks.close();
        }
    }

    @Test
    void tuningChunkSizeAndParallelismReachesTheLaterSlices() {
        RunbookWorkflow workflow = start(null, fakes -> {
            fakes.backfill.sourceRows = 80_000;
            fakes.backfill.chunksPerSlice = 2;
            fakes.backfill.holdSlices = true;
        });
        awaitTrue(() -> activities.backfill.slices.size() == 4, "four slices run at once");
        assertThat(activities.backfill.slices).extracting(slice -> slice.request().range().number())
                .containsExactlyInAnyOrder(1, 2, 3, 4);
        assertThat(activities.backfill.slices).extracting(FakeBackfill.SliceCall::running).contains(4);

        Knobs tuned = workflow.tune(new Tune("dave", 500, null, 1));
        activities.backfill.holdSlices = false;

        assertThat(tuned.parallelism()).isEqualTo(1);
        RunbookStatus waiting = runbooks.awaitState(RunbookState.AWAITING_APPROVAL);
        List<FakeBackfill.SliceCall> later = activities.backfill.slices.subList(4, activities.backfill.slices.size());
        assertThat(later).hasSizeGreaterThan(10).allSatisfy(slice -> {
            assertThat(slice.request().chunkRows()).isEqualTo(500);
            assertThat(slice.running()).as("one slice at a time after the tune").isEqualTo(1);
        });
        assertThat(waiting.knobs().parallelism()).isEqualTo(1);
        assertThat(waiting.rowsCopied()).isEqualTo(80_000);
        assertThat(waiting.progress()).satisfies(p -> {
            assertThat(p.step()).isEqualTo("copy");
            assertThat(p.rowsDone()).isEqualTo(80_000);
            assertThat(p.rowsTotal()).isEqualTo(80_000);
            assertThat(p.percent()).isEqualTo(100);
        });
        assertThat(activities.backfill.cursorMismatches).isEmpty();
        assertThat(summaries(CHILD)).contains("copy orders chunk 1/20 (range 2/4)", "plan copy orders into orders_v2");
    }

    @Test
    void pauseStopsTheRunningSlicesAfterTheirChunkAndNoSliceStartsUntilResume() {
        RunbookWorkflow workflow = start(null, fakes -> {
            fakes.backfill.sourceRows = 40_000;
            fakes.backfill.chunksPerSlice = 2;
            fakes.backfill.holdSlices = true;
        });
        awaitTrue(() -> activities.backfill.slices.size() == 4, "four slices run at once");

        workflow.pause(new PauseRequest("carol", "replica lag"));
        runbooks.awaitState(RunbookState.PAUSED);
        awaitTrue(() -> activities.backfill.slicesCancelled.get() == 4, "the pause stopped the four running slices");
        activities.backfill.holdSlices = false;
        runbooks.sleep(Duration.ofMinutes(10));

        assertThat(activities.backfill.slices).as("no slice starts while paused").hasSize(4);
        assertThat(workflow.status().progress().rowsDone()).as("the stopped slices wrote nothing").isZero();

        workflow.resume(new PauseRequest("carol", "lag back under 1s"));
        RunbookStatus waiting = runbooks.awaitState(RunbookState.AWAITING_APPROVAL);
        assertThat(waiting.rowsCopied()).isEqualTo(40_000);
        assertThat(activities.backfill.slices).as("the 4 stopped slices, then 20 of 2 chunks each").hasSize(24);
        assertThat(activities.backfill.cursorMismatches).isEmpty();
    }

    @Test
    void continueAsNewKeepsCursorsKnobsAndRowsAndRegistersTheCompensationOnce() {
        RunbookWorkflow workflow = start(150, fakes -> {
            fakes.backfill.sourceRows = 120_000;
            fakes.backfill.chunksPerSlice = 2;
            fakes.backfill.holdSlices = true;
        });
        awaitTrue(() -> activities.backfill.slices.size() == 4, "the first four slices started");
        workflow.tune(new Tune("dave", 500, null, 2));
        activities.backfill.holdSlices = false;

        RunbookStatus waiting = runbooks.awaitState(RunbookState.AWAITING_APPROVAL);

        List<String> runs = runIds(CHILD);
        assertThat(runs).as("the phase continued as new several times").hasSizeGreaterThanOrEqualTo(3);
        String firstRun = runs.get(runs.size() - 1);
        List<FakeBackfill.SliceCall> afterFirstRun = activities.backfill.slices.stream()
                .filter(slice -> !slice.runId().equals(firstRun)).toList();
        assertThat(activities.backfill.slices.subList(4, activities.backfill.slices.size()))
                .allSatisfy(slice -> assertThat(slice.request().chunkRows()).isEqualTo(500));
        assertThat(afterFirstRun).isNotEmpty().allSatisfy(slice -> {
            assertThat(slice.request().chunkRows()).as("the tuned chunk size survives").isEqualTo(500);
            assertThat(slice.running()).isLessThanOrEqualTo(2);
        });
        assertThat(activities.backfill.slices.stream().map(FakeBackfill.SliceCall::runId).distinct())
                .hasSizeGreaterThanOrEqualTo(3);
        assertThat(activities.backfill.cursorMismatches).as("every slice resumed from its range's recorded cursor").isEmpty();
        assertThat(activities.calls.stream().filter("planCopy:copy"::equals)).as("planned once").hasSize(1);
        assertThat(waiting.rowsCopied()).isEqualTo(120_000);
        assertThat(waiting.progress().rowsDone()).isEqualTo(120_000);
        assertThat(waiting.knobs().chunkRows()).isEqualTo(500);
        assertThat(progressSignals()).as("progress told at most once per percent").isBetween(2L, 101L);

        workflow.reject(new GateDecision("go", "ann", "not yet"));
        RunbookResult result = runbooks.result();
        assertThat(result.outcome()).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(result.compensations()).extracting(c -> c.stepId()).containsExactly("copy");
    }

    @Test
    void signalsSentAroundContinueAsNewAreNotLost() {
        RunbookWorkflow workflow = start(150, fakes -> {
            fakes.backfill.sourceRows = 400_000;
            fakes.backfill.chunksPerSlice = 2;
            fakes.backfill.sliceMillis = 10;
        });
        awaitTrue(() -> activities.backfill.slices.size() >= 4, "the copy is under way");
        int lastChunkRows = 0;
        for (int i = 1; i <= 12; i++) {
            lastChunkRows = 1000 - 10 * i;
            workflow.tune(new Tune("dave", lastChunkRows, null, 1 + i % 4));
            if (i == 6) {
                workflow.pause(new PauseRequest("carol", "checking lag"));
                workflow.resume(new PauseRequest("carol", "fine"));
            }
            sleepQuietly(40);
        }
        int slicesBeforeLastTune = activities.backfill.slices.size();

        RunbookStatus waiting = runbooks.awaitState(RunbookState.AWAITING_APPROVAL);
        assertThat(runIds(CHILD)).hasSizeGreaterThanOrEqualTo(3);
        assertThat(activities.backfill.slices).as("the copy went on after the tunes").hasSizeGreaterThan(slicesBeforeLastTune + 4);
        FakeBackfill.SliceCall last = activities.backfill.slices.get(activities.backfill.slices.size() - 1);
        assertThat(last.request().chunkRows()).isEqualTo(lastChunkRows);
        assertThat(last.running()).isEqualTo(1);
        assertThat(waiting.knobs().parallelism()).isEqualTo(1);
        assertThat(waiting.rowsCopied()).isEqualTo(400_000);
        assertThat(activities.backfill.cursorMismatches).isEmpty();

        workflow.approve(new GateDecision("go", "ann", "parity clean"));
        assertThat(runbooks.result().outcome()).isEqualTo(RunbookState.COMPLETED);
        assertThat(workflow.status().controls()).extracting(ControlEntry::command).filteredOn("tune"::equals)
                .hasSize(12);
    }

    /** The child's run ids, newest first, following each run back to the one it continued. */
    private List<String> runIds(String workflowId) {
        List<String> runs = new ArrayList<>();
        String run = runbooks.client().newUntypedWorkflowStub(workflowId).describe().getExecution().getRunId();
        while (!run.isEmpty()) {
            runs.add(run);
            WorkflowExecutionHistory history = runbooks.client().fetchHistory(workflowId, run);
            run = history.getEvents().get(0).getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId();
        }
        return runs;
    }

    /** The summaries of every activity the latest run of {@code workflowId} scheduled. */
    private List<String> summaries(String workflowId) {
        List<String> out = new ArrayList<>();
        for (String run : runIds(workflowId)) {
            for (HistoryEvent event : runbooks.client().fetchHistory(workflowId, run).getEvents()) {
                if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
                        && event.hasUserMetadata()) {
                    out.add(event.getUserMetadata().getSummary().getData().toStringUtf8().replace("\"", ""));
                }
            }
        }
        return out;
    }

    /** How many PROGRESS events the runbook received. */
    private long progressSignals() {
        return runbooks.client().fetchHistory("rb-test").getEvents().stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
                .filter(e -> e.getWorkflowExecutionSignaledEventAttributes().getInput().toString().contains("PROGRESS"))
                .count();
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        for (int i = 0; i < 600; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            sleepQuietly(50);
        }
        throw new AssertionError("timed out waiting until " + what);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
