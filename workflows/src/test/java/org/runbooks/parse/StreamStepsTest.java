package org.runbooks.parse;

import org.junit.jupiter.api.Test;
import org.runbooks.model.Runbook;
import org.runbooks.model.StreamStep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code stream:} step: what it reads, and how it is tied to the backfills into its target. */
class StreamStepsTest {

    private static final String STREAM = """
                  - id: orders-stream
                    stream:
                      from: { connection: legacy, table: orders }
                      to: { connection: target, table: orders_v2 }
                      key: [id]
            """;
    private static final String COPY = """
                  - id: copy
                    backfill:
                      from: { connection: legacy, table: orders }
                      to: { connection: target, table: orders_v2 }
                      key: [id]
            """;
    private static final String OTHER_COPY = """
                  - id: copy-items
                    backfill:
                      from: { connection: legacy, table: items }
                      to: { connection: target, table: items }
                      key: [id]
            """;

    @Test
    void aStreamHoldsItsChangesForTheBackfillsIntoItsTargetThatComeAfterIt() {
        Runbook runbook = parse(STREAM + OTHER_COPY + COPY);
        StreamStep stream = (StreamStep) runbook.step("orders-stream").orElseThrow();
        assertThat(stream.from().toString()).isEqualTo("legacy.orders");
        assertThat(stream.to().toString()).isEqualTo("target.orders_v2");
        assertThat(stream.key()).containsExactly("id");
        assertThat(stream.awaitsCopies()).containsExactly("copy");
    }

    @Test
    void aStreamWithoutABackfillAppliesAtOnce() {
        StreamStep stream = (StreamStep) parse(STREAM).step("orders-stream").orElseThrow();
        assertThat(stream.awaitsCopies()).isEmpty();
    }

    @Test
    void aBackfillIntoAStreamedTableBeforeTheStreamIsRefused() {
        assertThatThrownBy(() -> parse(COPY + STREAM)).isInstanceOf(InvalidRunbookException.class)
                .hasMessageContaining("copies into target.orders_v2 before stream 'orders-stream' starts");
    }

    @Test
    void twoStreamsIntoOneTableAndAStreamIntoItsOwnSourceAreRefused() {
        assertThatThrownBy(() -> parse(STREAM + STREAM.replace("orders-stream", "again")))
                .isInstanceOf(InvalidRunbookException.class)
                .hasMessageContaining("stream 'orders-stream' already keeps target.orders_v2 in step");
        assertThatThrownBy(() -> parse(STREAM.replace("connection: target, table: orders_v2",
                "connection: legacy, table: orders")))
                .isInstanceOf(InvalidRunbookException.class)
                .hasMessageContaining("is the table the stream reads from");
    }

    @Test
    void aCatchUpNamesAStreamThatComesBeforeIt() {
        String catchUp = """
                  - id: caught-up
                    catchUp: { stream: orders-stream, maxLag: PT5S }
            """;
        org.runbooks.model.CatchUpStep step = (org.runbooks.model.CatchUpStep) parse(STREAM + catchUp)
                .step("caught-up").orElseThrow();
        assertThat(step.resolved().id()).isEqualTo("orders-stream");
        assertThat(step.within()).isEqualTo(java.time.Duration.ofMinutes(10));
        assertThatThrownBy(() -> parse(catchUp + STREAM)).isInstanceOf(InvalidRunbookException.class)
                .hasMessageContaining("'orders-stream' is not a stream step that comes before this one");
        assertThatThrownBy(() -> parse(catchUp.replace("orders-stream", "nope"))).hasMessageContaining(
                "no step 'nope' in this runbook");
        assertThatThrownBy(() -> parse(STREAM + catchUp.replace("maxLag: PT5S", "within: PT1M")))
                .hasMessageContaining("maxLag: is required");
    }

    private static Runbook parse(String steps) {
        return new RunbookParser(null).parse("""
                apiVersion: runbook/v1
                name: streamed
                phases:
                  - name: only
                    steps:
                """ + steps, "streamed.yaml");
    }
}
