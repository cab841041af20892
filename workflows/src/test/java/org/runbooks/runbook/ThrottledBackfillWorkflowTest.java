package org.runbooks.runbook;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.RunbookRequest;
import org.runbooks.api.RunbookState;
import org.runbooks.api.RunbookStatus;
import org.runbooks.api.ThrottleReading;
import org.runbooks.api.ThrottleView;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backfill with a throttle probe, on time-skipping Temporal: each slice's throttle reading reaches {@code status}
 * (the last value, the time waited in all, the chunk size in use), and the next slice starts at the chunk size the
 * throttle left.
 */
class ThrottledBackfillWorkflowTest {

    private static final String THROTTLED = """
            apiVersion: runbook/v1
            name: throttled
            phases:
              - name: copy
                steps:
                  - id: copy
                    backfill:
                      from: { connection: legacy, table: orders }
                      to: { connection: target, table: orders_v2 }
                      key: [id]
                      chunkRows: 1000
                      throttle: { query: "select lag_ms from replica_lag", connection: target, max: 500 }
                  - id: go
                    gate: { approvers: [ann] }
            """;

    private TimeSkippingRunbooks runbooks;

    @AfterEach
    void close() {
        if (runbooks != null) {
            runbooks.close();
        }
    }

    @Test
    void theLatestThrottleReadingIsInStatusAndTheNextSliceStartsWhereTheThrottleLeftTheChunk() {
        runbooks = new TimeSkippingRunbooks(THROTTLED, new RunbookRequest("runbooks/test.yaml", "alice"), fakes -> {
            fakes.backfill.sourceRows = 10_000;
            fakes.backfill.chunksPerSlice = 2;
            fakes.backfill.throttleReadings.add(new ThrottleReading(900.0, 500, true, 5_000, 125, 1000, null));
            fakes.backfill.throttleReadings.add(new ThrottleReading(700.0, 500, true, 4_000, 100, 1000, null));
            fakes.backfill.throttleReadings.add(new ThrottleReading(20.0, 500, false, 0, 300, 1000, null));
        });

        RunbookStatus waiting = runbooks.awaitState(RunbookState.AWAITING_APPROVAL);

        assertThat(runbooks.activities().backfill.slices).extracting(slice -> slice.request().throttledChunkRows())
                .startsWith(null, 125, 100, 300);
        assertThat(waiting.throttle()).isEqualTo(new ThrottleView("copy", "the query on target", 20.0, 500, false,
                9_000, 300, 1000, null));
    }
}
