package org.runbooks.parse;

import org.junit.jupiter.api.Test;
import org.runbooks.model.ChecksumColumns;
import org.runbooks.model.LeftOutColumns;
import org.runbooks.model.Runbook;
import org.runbooks.model.ValidateStep;
import org.runbooks.model.WaitStep;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A validate step's checksum comes out of the parser with the column mapping of the backfill that copies its source
 * table into its target, so a renamed column is compared under its new name; and with what a column it leaves out
 * does.
 */
class ChecksumOptionTest {

    private static final String RUNBOOK = """
            apiVersion: runbook/v1
            name: checksums
            phases:
              - name: copy
                steps:
                  - id: copy-orders
                    backfill: { from: { connection: legacy, table: orders }, to: { connection: target, table: orders_v2 }, key: [id], columns: { id: id, amount: amount_cents } }
                  %s
                  - id: parity
                    validate: { between: { source: legacy.orders, target: target.orders_v2 }, key: [id], checksum: %s }
                  - id: soak
                    wait: { duration: PT1H, revalidate: parity }
            """;

    private static Runbook parse(String otherStep, String checksum) {
        return new RunbookParser(Set.of("legacy", "target")).parse(RUNBOOK.formatted(otherStep, checksum), "c.yaml");
    }

    @Test
    void theChecksumComparesThroughTheMappingOfTheBackfillThatFeedsItsTarget() {
        Runbook runbook = parse("", "{}");
        ValidateStep parity = (ValidateStep) runbook.phases().get(0).steps().get(1);
        WaitStep soak = (WaitStep) runbook.phases().get(0).steps().get(2);

        assertThat(parity.checksumColumns()).isEqualTo(new ChecksumColumns(Map.of("id", "id", "amount",
                "amount_cents"), LeftOutColumns.FAIL));
        assertThat(soak.check().checksumColumns()).isEqualTo(parity.checksumColumns());
    }

    @Test
    void leftOutWarnIsKeptAndAnythingElseIsRefused() {
        ValidateStep parity = (ValidateStep) parse("", "{ leftOut: warn }").phases().get(0).steps().get(1);

        assertThat(parity.checksumColumns().leftOut()).isEqualTo(LeftOutColumns.WARN);
        assertThatThrownBy(() -> parse("", "{ leftOut: ignore }")).isInstanceOf(InvalidRunbookException.class)
                .hasMessageContaining("phases[0].steps[1].validate.checksum.leftOut: must be fail or warn");
    }

    @Test
    void aBackfillIntoATableSpelledWithOtherCaseIsAnotherTableAndLendsNoMapping() {
        String other = "- id: copy-upper\n        backfill: { from: { connection: legacy, table: Orders },"
                + " to: { connection: target, table: Orders_V2 }, key: [id], columns: { id: id, amount: Amount } }";
        Runbook runbook = new RunbookParser(Set.of("legacy", "target")).parse(RUNBOOK.formatted(other, "{}")
                .replace("columns: { id: id, amount: amount_cents } ", ""), "c.yaml");
        ValidateStep parity = (ValidateStep) runbook.step("parity").orElseThrow();

        assertThat(parity.checksumColumns()).isEqualTo(new ChecksumColumns(Map.of(), LeftOutColumns.FAIL));
    }

    @Test
    void twoBackfillsFeedingTheTargetWithDifferentMappingsAreRefused() {
        String other = "- id: copy-again\n        backfill: { from: { connection: legacy, table: orders },"
                + " to: { connection: target, table: orders_v2 }, key: [id] }";

        assertThatThrownBy(() -> parse(other, "{}")).isInstanceOf(InvalidRunbookException.class)
                .hasMessageContaining("validate.checksum: backfill steps [copy-orders, copy-again] copy legacy.orders"
                        + " into target.orders_v2 with different columns");
    }
}
