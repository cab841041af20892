package org.runbooks.runbook;

import io.temporal.api.enums.v1.EventType;
import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.RunbookRequest;
import org.runbooks.api.RunbookResult;
import org.runbooks.api.RunbookState;
import org.runbooks.api.ThrottleReading;
import org.runbooks.step.PhaseEventPacer;
import org.runbooks.phase.PhaseWorkflowImpl;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A phase that runs for days, with thousands of throttled slices and re-validations, keeps every run of its runbook
 * far below the server's history limit: the runbook continues as new only between phases, so what the phase tells
 * it while it runs is paced ({@link PhaseEventPacer}).
 */
class RunbookHistoryBoundTest {

    private static final int SLICES = 2_000;

    /** 2,000 throttled one-chunk slices, then a three-day soak re-validating every minute: 4,320 re-validations. */
    private static final String LONG_PHASE = """
            apiVersion: runbook/v1
            name: long-phase
            phases:
              - name: canary
                steps:
                  - id: copy
                    backfill:
                      from: { connection: legacy, table: orders }
                      to: { connection: target, table: orders_v2 }
                      key: [id]
                      chunkRows: 1000
                      throttle: { query: "select lag_ms from replica_lag", connection: target, max: 500 }
                  - id: parity
                    validate: { between: { source: legacy.orders, target: target.orders_v2 }, key: [id], rowCount: { tolerance: 0 } }
                  - id: soak
                    wait: { duration: P3D, revalidate: parity, every: PT1M }
            """;

    private TimeSkippingRunbooks runbooks;

    @AfterEach
    void close() {
        if (runbooks != null) {
            runbooks.close();
        }
    }

    @Test
    void thousandsOfThrottleChangesAndReValidationsKeepEveryRunOfTheRunbookUnderTenThousandEvents() throws Exception {
        runbooks = new TimeSkippingRunbooks(LONG_PHASE, new RunbookRequest("runbooks/test.yaml", "alice"), fakes -> {
            fakes.backfill.sourceRows = SLICES * 1_000L;
            fakes.backfill.chunksPerSlice = 1;
            // Every slice also reports its committed chunk to the phase, as the real slice does.
            fakes.backfill.reportChunks = true;
            for (int i = 0; i < SLICES; i++) {
                // Held back every slice, at a chunk size that changes every time.
                fakes.backfill.throttleReadings.add(new ThrottleReading(600.0 + i, 500, true, 10, 100 + i % 400, 1000, null));
            }
            // The last slice's reading lets the copy go: an operator must see that at once.
            fakes.backfill.throttleReadings.add(new ThrottleReading(20.0, 500, false, 0, 1000, 1000, null));
        });

        RunbookResult result = runbooks.result();

        assertThat(result.outcome()).isEqualTo(RunbookState.COMPLETED);
        assertThat(runbooks.activities().calls.stream().filter("compare:parity"::equals))
                .as("the validate step and every re-validation ran").hasSize(1 + 3 * 24 * 60);
        RunChain runbook = RunChain.of(runbooks.client(), "rb-test");
        for (int run = 0; run < runbook.size(); run++) {
            assertThat(runbook.runs().get(run).getEvents()).as("events in run %d of the runbook", run)
                    .hasSizeLessThan(10_000);
        }
        assertThat(runbook.signals(Set.of("phaseEvent"))).as("what the phase told its runbook").isLessThan(1_500);
        RunChain phase = RunChain.of(runbooks.client(), "rb-test/canary");
        for (int run = 0; run < phase.size(); run++) {
            assertThat(phase.runs().get(run).getEvents()).as("events in run %d of the phase", run)
                    .hasSizeLessThan(10_000);
        }
        assertThat(phase.runs().get(phase.size() - 1).getEvents()).anyMatch(e ->
                e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
        // The paced runs replay: the pacing is deterministic (workflow time, a version marker).
        for (int run = 0; run < phase.size(); run++) {
            WorkflowReplayer.replayWorkflowExecution(phase.runs().get(run), PhaseWorkflowImpl.class);
        }
        for (int run = 0; run < runbook.size(); run++) {
            WorkflowReplayer.replayWorkflowExecution(runbook.runs().get(run), RunbookWorkflowImpl.class);
        }
    }
}
