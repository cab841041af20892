package org.runbooks.parse;

import org.junit.jupiter.api.Test;
import org.runbooks.model.CutoverStep;
import org.runbooks.model.Runbook;
import org.runbooks.model.StreamStep;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code cutover:} step: the streams it switches, the tables it freezes on each source, and its plan. */
class CutoverStepsTest {

    private static final String STREAMS = """
                  - id: orders-stream
                    stream:
                      from: { connection: legacy, table: orders }
                      to: { connection: target, table: orders_v2 }
                      key: [id]
                  - id: items-stream
                    stream:
                      from: { connection: warehouse, table: items }
                      to: { connection: target, table: items_v2 }
                      key: [id]
            """;

    @Test
    void oneStreamKeepsItsOneFieldAndFreezesItsSourceTable() {
        CutoverStep c = cutover("stream: orders-stream");
        assertThat(c.streams()).containsExactly("orders-stream");
        assertThat(c.resolved().id()).isEqualTo("orders-stream");
        assertThat(c.freezeByConnection()).isEqualTo(Map.of("legacy", List.of("orders")));
        assertThat(StepKinds.does(c, null).get(0)).startsWith("switch from legacy.orders to target.orders_v2:"
                + " pre-check stream orders-stream under 5s behind, freeze writes to orders on legacy,");
    }

    @Test
    void severalStreamsFreezeEverySourceOnItsConnectionAndArePlannedAsOneSwitch() {
        CutoverStep c = cutover("streams: [orders-stream, items-stream]");
        assertThat(c.resolvedStreams()).extracting(StreamStep::id).containsExactly("orders-stream", "items-stream");
        assertThat(c.resolved().id()).as("the first stream, as for one").isEqualTo("orders-stream");
        assertThat(c.freezeByConnection()).containsExactly(Map.entry("legacy", List.of("orders")),
                Map.entry("warehouse", List.of("items")));
        assertThat(StepKinds.does(c, null)).containsExactly("switch from legacy.orders to target.orders_v2,"
                        + " warehouse.items to target.items_v2: pre-check streams orders-stream, items-stream under 5s"
                        + " behind, freeze writes to orders on legacy, items on warehouse, let every stream catch up"
                        + " within 30s (else lift the freeze and fail, nothing switched)",
                "then set target.orders_v2, target.items_v2's sequences past the source's (margin 0), start the"
                        + " reverse streams target.orders_v2 -> legacy.orders, target.items_v2 -> warehouse.items,"
                        + " flip v2 on target to 100%, lift the freeze");
        assertThat(StepKinds.compensation(c)).contains("let the reverse streams catch up");
    }

    @Test
    void aFreezeTableOfOneStreamGoesToItsConnection() {
        CutoverStep c = cutover("streams: [orders-stream, items-stream]\n          freeze: [items, orders]");
        assertThat(c.freezeByConnection()).containsExactly(Map.entry("warehouse", List.of("items")),
                Map.entry("legacy", List.of("orders")));
    }

    @Test
    void aFreezeByFlagAndSqlIsPlannedInItsOrderAndFreezesNoTableUnlessNamed() {
        CutoverStep c = cutover("stream: orders-stream\n          freeze: { flag: { connection: legacy, name: frozen,"
                + " enabled: true }, sql: { connection: legacy, apply: \"REVOKE INSERT ON orders FROM app\","
                + " revert: \"GRANT INSERT ON orders TO app\" } }");
        assertThat(c.freezeByConnection()).as("no trigger unless tables are named").isEmpty();
        assertThat(c.freezeFlag().percent()).isEqualTo(100);
        assertThat(c.freezeSql().revert()).isEqualTo("GRANT INSERT ON orders TO app");
        assertThat(StepKinds.does(c, null).get(0)).contains("under 5s behind, set flag frozen on legacy to 100%,"
                + " run the freeze SQL on legacy (its revert at the thaw), let the stream catch up");
    }

    private static CutoverStep cutover(String streams) {
        Runbook runbook = new RunbookParser(null).parse("""
                apiVersion: runbook/v1
                name: switched
                phases:
                  - name: only
                    steps:
                """ + STREAMS + """
                      - id: cut
                        cutover:
                          %s
                          flags: [{ connection: target, name: v2, enabled: true }]
                """.formatted(streams), "switched.yaml");
        return (CutoverStep) runbook.step("cut").orElseThrow();
    }
}
