package org.runbooks.validate;

import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.CheckResult;
import org.runbooks.api.CheckResult.Kind;
import org.runbooks.api.ValidationReport;
import org.runbooks.jdbc.TwoDatabases;
import org.runbooks.model.ChecksumColumns;
import org.runbooks.model.LeftOutColumns;
import org.runbooks.model.TableRef;
import org.runbooks.model.ValidateStep;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.runbooks.jdbc.TwoDatabases.LEGACY;
import static org.runbooks.jdbc.TwoDatabases.ONE_ATTEMPT;
import static org.runbooks.jdbc.TwoDatabases.TARGET;
import static org.runbooks.jdbc.TwoDatabases.applicationFailureOf;
import static org.runbooks.jdbc.TwoDatabases.numbers;

class ValidationActivitiesImplTest {

    private static final String COLUMNS = "id bigint primary key, customer varchar(100) not null, note varchar(200),"
            + " amount decimal(12, 2) not null";
    private static final String ROWS = "select x, 'customer-' || mod(x, 7),"
            + " case when mod(x, 5) = 0 then null else 'note ' || x end, x * 0.5 from " + numbers(1, 500);

    private TwoDatabases db;
    private TestActivityEnvironment testEnv;
    private ValidationActivities validation;

    @BeforeEach
    void setUp() {
        db = new TwoDatabases();
        db.execute(LEGACY, "create table orders (" + COLUMNS + ")", "insert into orders " + ROWS + " order by x");
        // Same rows, written in the opposite order and with a column the source does not have, which the runbook
        // accepts (leftOut: warn); without that it fails the checksum (aColumnTheSourceLacksFailsTheChecksumByDefault).
        db.execute(TARGET, "create table orders_v2 (" + COLUMNS + ", migrated boolean default true)",
                "insert into orders_v2 (id, customer, note, amount) " + ROWS + " order by x desc");
        testEnv = TestActivityEnvironment.newInstance();
        testEnv.registerActivitiesImplementations(new ValidationActivitiesImpl(db.registry));
        validation = testEnv.newActivityStub(ValidationActivities.class, ONE_ATTEMPT);
    }

    @AfterEach
    void tearDown() {
        testEnv.close();
        db.close();
    }

    @Test
    void equalTablesPass() {
        ValidationReport report = validation.compare(parity(0, true));

        assertThat(report.passed()).isTrue();
        assertThat(report.sourceRows()).isEqualTo(500);
        assertThat(report.targetRows()).isEqualTo(500);
        assertThat(report.sourceChecksum()).hasSize(64).isEqualTo(report.targetChecksum());
        assertThat(report.detail()).isEqualTo("row counts agree (source 500, target 500, tolerance 0); checksums equal"
                + "; compared id, customer, note, amount" + MIGRATED_LEFT_OUT);
        assertThat(report.checks()).extracting(CheckResult::kind, CheckResult::passed)
                .containsExactly(tuple(Kind.ROW_COUNT, true), tuple(Kind.CHECKSUM, true));
    }

    @Test
    void oneChangedValueFailsTheChecksum() {
        db.execute(TARGET, "update orders_v2 set amount = amount + 0.01 where id = 250");

        ValidationReport report = validation.compare(parity(0, true));

        assertThat(report.passed()).isFalse();
        assertThat(report.sourceChecksum()).isNotEqualTo(report.targetChecksum());
        // Only the failed check is told: the approver reads what to act on.
        assertThat(report.detail()).isEqualTo("checksums differ: 1 changed row (id=250); compared id, customer, note,"
                + " amount" + MIGRATED_LEFT_OUT);
        assertThat(report.differences().changed()).containsExactly(List.of("250"));
        assertThat(report.checks()).extracting(CheckResult::name, CheckResult::passed)
                .containsExactly(tuple("row-count", true), tuple("checksum", false));
    }

    @Test
    void nullAndTheTextBackslashNAreDifferentValues() {
        db.execute(TARGET, "update orders_v2 set note = '\\N' where id = 5");

        ValidationReport report = validation.compare(parity(0, true));

        assertThat(report.passed()).as(report.detail()).isFalse();
        assertThat(report.differences().changed()).as("the one row whose null became the text \\N")
                .containsExactly(List.of("5"));
        assertThat(report.checks()).extracting(CheckResult::name, CheckResult::passed)
                .containsExactly(tuple("row-count", true), tuple("checksum", false));
    }

    @Test
    void valuesShiftedAcrossAColumnBoundaryAreDifferentRows() {
        db.execute(LEGACY, "update orders set customer = 'a', note = 'b' || char(31) || 'c' where id = 1");
        db.execute(TARGET, "update orders_v2 set customer = 'a' || char(31) || 'b', note = 'c' where id = 1");

        ValidationReport report = validation.compare(parity(0, true));

        assertThat(report.passed()).as(report.detail()).isFalse();
        assertThat(report.differences().changed()).as("the one row whose values moved across the column boundary")
                .containsExactly(List.of("1"));
        assertThat(report.checks()).extracting(CheckResult::name, CheckResult::passed)
                .containsExactly(tuple("row-count", true), tuple("checksum", false));
    }

    @Test
    void oneDeletedRowFailsTheCount() {
        db.execute(TARGET, "delete from orders_v2 where id = 250");

        ValidationReport report = validation.compare(parity(0, true));

        assertThat(report.passed()).isFalse();
        assertThat(report.targetRows()).isEqualTo(499);
        assertThat(report.detail()).isEqualTo("row counts differ (source 500, target 499, tolerance 0);"
                + " checksums differ: 1 key missing from the target (id=250); compared id, customer, note, amount"
                + MIGRATED_LEFT_OUT);
        assertThat(report.checks().getFirst()).isEqualTo(new CheckResult("row-count", Kind.ROW_COUNT, false,
                "500", "499", "±0", "row counts differ (source 500, target 499, tolerance 0)"));
    }

    @Test
    void aColumnTheSourceLacksFailsTheChecksumByDefault() {
        ValidationReport report = validation.compare(new ValidateStep("parity", new TableRef(LEGACY, "orders"),
                new TableRef(TARGET, "orders_v2"), List.of("id"), 0, true));

        assertThat(report.passed()).isFalse();
        assertThat(report.detail()).isEqualTo("checksums equal; compared id, customer, note, amount; columns left out,"
                + " never compared: target [migrated] (fails the checksum: map them in the backfill's columns, or"
                + " accept them with checksum: {leftOut: warn})");
        assertThat(report.comparedColumns()).containsExactly("id", "customer", "note", "amount");
    }

    @Test
    void countDifferenceWithinTheTolerancePassesWithoutAChecksum() {
        db.execute(TARGET, "delete from orders_v2 where id = 250");

        ValidationReport report = validation.compare(parity(1, false));

        assertThat(report.passed()).isTrue();
        assertThat(report.sourceChecksum()).isNull();
        assertThat(report.detail()).isEqualTo("row counts agree (source 500, target 499, tolerance 1)");
    }

    @Test
    void missingTargetTableFailsWithoutRetry() {
        ValidateStep step = new ValidateStep("parity", new TableRef(LEGACY, "orders"),
                new TableRef(TARGET, "orders_v3"), List.of("id"), 0, true);

        ApplicationFailure failure = applicationFailureOf(() -> validation.compare(step));

        assertThat(failure.getType()).isEqualTo("SqlError");
        assertThat(failure.isNonRetryable()).isTrue();
    }

    private static final String MIGRATED_LEFT_OUT = "; columns left out, never compared: target [migrated]"
            + " (leftOut: warn)";

    /** The fixture's tables compared by name, accepting the target's extra column. */
    private static ValidateStep parity(long tolerance, boolean checksum) {
        return new ValidateStep("parity", new TableRef(LEGACY, "orders"), new TableRef(TARGET, "orders_v2"),
                List.of("id"), tolerance, checksum, List.of(), List.of(), null, null,
                new ChecksumColumns(Map.of(), LeftOutColumns.WARN));
    }
}
