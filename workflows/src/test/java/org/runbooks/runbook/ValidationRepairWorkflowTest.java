package org.runbooks.runbook;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.KeyDifferences;
import org.runbooks.api.RunbookRequest;
import org.runbooks.api.RunbookResult;
import org.runbooks.api.RunbookState;
import org.runbooks.api.ValidationReport;
import org.runbooks.validate.RepairRounds;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A validate step with {@code repair: true}, on time-skipping Temporal with scripted validation reports: the keys a
 * validation lists are re-copied by the backfill it names, the step validates again, and only that verdict decides;
 * capped differences are repaired in rounds, and the rounds stop with a reason.
 */
class ValidationRepairWorkflowTest {

    /** A copy, a validation that repairs from it, and a flag that runs only when the validation passes. */
    private static final String REPAIRING = """
            apiVersion: runbook/v1
            name: repairing
            phases:
              - name: copy
                steps:
                  - id: copy
                    backfill: { from: { connection: legacy, table: orders }, to: { connection: target, table: orders_v2 }, key: [id] }
                  - id: parity
                    validate: { between: { source: legacy.orders, target: target.orders_v2 }, key: [id], checksum: { columns: all }, repair: true }
                  - id: read-v2
                    flag: { connection: target, name: orders.read_v2, enabled: true }
            """;

    private TimeSkippingRunbooks runbooks;

    @AfterEach
    void close() {
        if (runbooks != null) {
            runbooks.close();
        }
    }

    private RunbookResult run(Consumer<FakeActivities> setUp) {
        runbooks = new TimeSkippingRunbooks(REPAIRING, new RunbookRequest("runbooks/test.yaml", "alice"), setUp);
        return runbooks.result();
    }

    @Test
    void theKeysFoundAreRepairedAndTheSecondVerdictDecides() {
        KeyDifferences three = new KeyDifferences(List.of(List.of("7")), List.of(List.of("9")),
                List.of(List.of("3")), false);
        RunbookResult result = run(fakes -> {
            fakes.validation.scriptedReports.add(failed(three));
            fakes.validation.scriptedReports.add(passed());
        });

        assertThat(result.outcome()).isEqualTo(RunbookState.COMPLETED);
        assertThat(runbooks.activities().calls).containsSubsequence("compare:parity", "repairKeys:copy",
                "compare:parity", "setFlag:orders.read_v2=100");
        assertThat(runbooks.activities().backfill.repairs).singleElement().satisfies(repair -> {
            assertThat(repair.keys()).containsExactly(List.of("7"), List.of("9"), List.of("3"));
            assertThat(repair.key()).containsExactly("id");
            assertThat(repair.step().id()).isEqualTo("copy");
            assertThat(repair.idempotencyKey()).endsWith("/parity/repair-1");
        });
        ValidationReport evidence = result.evidence().get(0);
        assertThat(evidence.passed()).isTrue();
        assertThat(evidence.repair().backfill()).isEqualTo("copy");
        assertThat(evidence.repair().closed()).isTrue();
        assertThat(evidence.repair().rounds()).singleElement().satisfies(round -> {
            assertThat(round.found()).isEqualTo(three);
            assertThat(round.repaired().upserted()).isEqualTo(3);
        });
        assertThat(evidence.repair().detail()).isEqualTo("repaired 3 key(s) in 1 round(s); the validation after it passed");
    }

    @Test
    void cappedDifferencesAreRepairedInRoundsUntilClean() {
        RunbookResult result = run(fakes -> {
            fakes.validation.scriptedReports.add(failed(new KeyDifferences(keys(1, 100), List.of(), List.of(), true)));
            fakes.validation.scriptedReports.add(failed(new KeyDifferences(keys(101, 40), List.of(), List.of(), false)));
            fakes.validation.scriptedReports.add(passed());
        });

        assertThat(result.outcome()).isEqualTo(RunbookState.COMPLETED);
        assertThat(runbooks.activities().backfill.repairs).extracting(r -> r.keys().size()).containsExactly(100, 40);
        assertThat(runbooks.activities().backfill.repairs.get(1).keys()).startsWith(List.of("101"));
        assertThat(result.evidence().get(0).repair().rounds()).hasSize(2);
        assertThat(result.evidence().get(0).repair().keysRepaired()).isEqualTo(140);
    }

    @Test
    void aDriftThatOutrunsTheRepairGivesUpAfterFiveRoundsAndRollsBack() {
        RunbookResult result = run(fakes -> IntStream.range(0, 10).forEach(i -> fakes.validation.scriptedReports.add(
                failed(new KeyDifferences(keys(i * 100 + 1, 100), List.of(), List.of(), true)))));

        assertThat(result.outcome()).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(runbooks.activities().backfill.repairs).hasSize(RepairRounds.MAX_ROUNDS);
        assertThat(runbooks.activities().calls).doesNotContain("setFlag:orders.read_v2=100");
        assertThat(result.reason()).startsWith("validation parity failed: checksums differ")
                .endsWith("; gave up after 5 rounds: 100 or more key(s) still differ; the source may change faster"
                        + " than a repair follows it");
        assertThat(result.evidence().get(0).repair().closed()).isFalse();
    }

    @Test
    void keysThatARoundDidNotCloseStopTheRepairAtOnce() {
        KeyDifferences stuck = new KeyDifferences(List.of(), List.of(), List.of(List.of("5")), false);
        RunbookResult result = run(fakes -> {
            fakes.validation.scriptedReports.add(failed(stuck));
            fakes.validation.scriptedReports.add(failed(stuck));
        });

        assertThat(result.outcome()).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(runbooks.activities().backfill.repairs).hasSize(1);
        assertThat(result.reason()).contains("gave up: round 2 would re-copy the same 1 key(s) as round 1");
    }

    @Test
    void aFailureWithoutKeysIsNotRepaired() {
        RunbookResult result = run(fakes -> fakes.validation.validationPasses = false);

        assertThat(result.outcome()).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(runbooks.activities().backfill.repairs).isEmpty();
        assertThat(result.evidence().get(0).repair().detail()).startsWith("nothing to repair");
    }

    private static ValidationReport failed(KeyDifferences differences) {
        return new ValidationReport("parity", 1000, 1000, "a", "b", false, "checksums differ", List.of(),
                differences);
    }

    private static ValidationReport passed() {
        return new ValidationReport("parity", 1000, 1000, "a", "a", true, "checksums agree", List.of(),
                KeyDifferences.NONE);
    }

    private static List<List<String>> keys(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> List.of(String.valueOf(i))).toList();
    }
}
