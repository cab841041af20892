package org.runbooks.parse;

import org.junit.jupiter.api.Test;
import org.runbooks.model.Runbook;
import org.runbooks.model.ValidateStep;
import org.runbooks.model.WaitStep;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A validate step's {@code repair} comes out of the parser with the backfill step it repairs from filled in. */
class RepairOptionTest {

    private static final String RUNBOOK = """
            apiVersion: runbook/v1
            name: repairing
            phases:
              - name: copy
                steps:
                  - id: copy-orders
                    backfill: { from: { connection: legacy, table: orders }, to: { connection: target, table: orders_v2 }, key: [id], chunkRows: 500 }
                  - id: parity
                    validate: { between: { source: legacy.orders, target: target.orders_v2 }, key: [id], checksum: {}, repair: %s }
                  - id: soak
                    wait: { duration: PT1H, revalidate: parity }
            """;

    private static Runbook parse(String repair) {
        return new RunbookParser(Set.of("legacy", "target")).parse(RUNBOOK.formatted(repair), "r.yaml");
    }

    @Test
    void repairTrueFindsTheOneBackfillThatWritesTheTarget() {
        ValidateStep parity = (ValidateStep) parse("true").phases().get(0).steps().get(1);

        assertThat(parity.repair().backfill()).isEqualTo("copy-orders");
        assertThat(parity.repair().step().chunkRows()).isEqualTo(500);
    }

    @Test
    void aNamedBackfillIsResolvedAlsoInTheSoakThatRevalidates() {
        WaitStep soak = (WaitStep) parse("{ backfill: copy-orders }").phases().get(0).steps().get(2);

        assertThat(soak.check().repair().step().id()).isEqualTo("copy-orders");
    }

    @Test
    void aBackfillIntoATableSpelledWithOtherCaseIsAnotherTableAndCannotRepairIt() {
        String other = RUNBOOK.replace("table: orders_v2 }", "table: Orders_V2 }");

        assertThatThrownBy(() -> new RunbookParser(Set.of("legacy", "target")).parse(other.formatted("true"), "r.yaml"))
                .isInstanceOf(InvalidRunbookException.class)
                .hasMessageContaining("no backfill step copies into target.orders_v2");
        assertThatThrownBy(() -> new RunbookParser(Set.of("legacy", "target"))
                .parse(other.formatted("{ backfill: copy-orders }"), "r.yaml"))
                .isInstanceOf(InvalidRunbookException.class)
                .hasMessageContaining("backfill 'copy-orders' copies into target.Orders_V2, not into target.orders_v2");
    }

    @Test
    void repairFalseRepairsNothing() {
        ValidateStep parity = (ValidateStep) parse("false").phases().get(0).steps().get(1);

        assertThat(parity.repair()).isNull();
    }
}
