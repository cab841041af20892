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
import org.runbooks.jdbc.connect.ConnectionSettings;
import org.runbooks.jdbc.connect.JdbcConnectionRegistry;
import org.runbooks.model.KpiCheck;
import org.runbooks.model.SqlAssertion;
import org.runbooks.model.SqlQuery;
import org.runbooks.model.TableRef;
import org.runbooks.model.ValidateStep;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.runbooks.jdbc.TwoDatabases.LEGACY;
import static org.runbooks.jdbc.TwoDatabases.ONE_ATTEMPT;
import static org.runbooks.jdbc.TwoDatabases.TARGET;
import static org.runbooks.jdbc.TwoDatabases.applicationFailureOf;
import static org.runbooks.jdbc.TwoDatabases.numbers;

/** KPIs and assertions: the runbook's own numbers, checked next to (or instead of) the table comparison. */
class ValidationChecksTest {

    /** 500 orders of 0.50 to 250.00, so revenue is 62625.00 on both sides until a test changes one. */
    private static final String ROWS = "select x, x * 0.5 from " + numbers(1, 500);
    private static final SqlQuery SOURCE_REVENUE = new SqlQuery(LEGACY, "select sum(amount) from orders");
    private static final SqlQuery TARGET_REVENUE = new SqlQuery(TARGET, "select sum(amount) from orders_v2");

    private TwoDatabases db;
    private TestActivityEnvironment testEnv;
    private ValidationActivities validation;

    @BeforeEach
    void setUp() {
        db = new TwoDatabases();
        db.execute(LEGACY, "create table orders (id bigint primary key, amount decimal(12, 2) not null)",
                "insert into orders " + ROWS);
        db.execute(TARGET, "create table orders_v2 (id bigint primary key, amount decimal(12, 2) not null)",
                "insert into orders_v2 " + ROWS);
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
    void kpiPassesWithinAnAbsoluteToleranceAndFailsBeyondIt() {
        db.execute(TARGET, "update orders_v2 set amount = amount + 0.01 where id = 7");

        ValidationReport report = validation.compare(checks(List.of(
                new KpiCheck("revenue-cents", SOURCE_REVENUE, TARGET_REVENUE, 0.01, null),
                new KpiCheck("revenue-exact", SOURCE_REVENUE, TARGET_REVENUE, 0, null)), List.of()));

        assertThat(report.passed()).isFalse();
        assertThat(report.checks()).containsExactly(
                new CheckResult("revenue-cents", Kind.KPI, true, "62625.00", "62625.01", "±0.01",
                        "KPI revenue-cents agrees (source 62625.00, target 62625.01), within ±0.01"),
                new CheckResult("revenue-exact", Kind.KPI, false, "62625.00", "62625.01", "±0",
                        "KPI revenue-exact differs by 0.01, 0.00001597% of the source"
                                + " (source 62625.00, target 62625.01), more than ±0"));
        assertThat(report.detail()).isEqualTo(report.checks().get(1).detail());
    }

    @Test
    void kpiPassesWithinAPercentOfTheSourceAndFailsBeyondIt() {
        db.execute(TARGET, "delete from orders_v2 where id = 500");

        ValidationReport report = validation.compare(checks(List.of(
                new KpiCheck("revenue-half-percent", SOURCE_REVENUE, TARGET_REVENUE, 0, 0.5),
                new KpiCheck("revenue-tenth-percent", SOURCE_REVENUE, TARGET_REVENUE, 0, 0.1)), List.of()));

        assertThat(report.checks()).extracting(CheckResult::name, CheckResult::passed, CheckResult::threshold)
                .containsExactly(tuple("revenue-half-percent", true, "±0.5% of source"),
                        tuple("revenue-tenth-percent", false, "±0.1% of source"));
        assertThat(report.passed()).isFalse();
        assertThat(report.detail()).isEqualTo("KPI revenue-tenth-percent differs by 250, 0.3992% of the source"
                + " (source 62625.00, target 62375.00), more than ±0.1% of source");
    }

    @Test
    void kpiWithAPercentToleranceAllowsNoDifferenceFromASourceOfZero() {
        ValidationReport report = validation.compare(checks(List.of(new KpiCheck("refunds",
                new SqlQuery(LEGACY, "select count(*) from orders where amount < 0"),
                new SqlQuery(TARGET, "select 1"), 0, 50.0)), List.of()));

        assertThat(report.passed()).isFalse();
        assertThat(report.detail()).isEqualTo("KPI refunds differs by 1, while the source is 0"
                + " (source 0, target 1), more than ±50% of source");
    }

    @Test
    void assertionPassesWhenItFindsWhatItExpects() {
        ValidationReport report = validation.compare(checks(List.of(), List.of(
                new SqlAssertion("no-negative-amounts", TARGET, "select count(*) from orders_v2 where amount < 0", 0),
                new SqlAssertion("all-orders-arrived", TARGET, "select count(*) from orders_v2", 500))));

        assertThat(report.passed()).as(report.detail()).isTrue();
        assertThat(report.checks()).extracting(CheckResult::kind, CheckResult::sourceValue, CheckResult::threshold)
                .containsExactly(tuple(Kind.ASSERTION, "0", "= 0"), tuple(Kind.ASSERTION, "500", "= 500"));
        assertThat(report.detail()).isEqualTo("assertion no-negative-amounts holds: found 0 on target, expected 0;"
                + " assertion all-orders-arrived holds: found 500 on target, expected 500");
    }

    @Test
    void assertionFailsWhenItFindsSomethingElse() {
        db.execute(TARGET, "update orders_v2 set amount = -1 where id in (3, 4)");

        ValidationReport report = validation.compare(checks(List.of(), List.of(
                new SqlAssertion("no-negative-amounts", TARGET, "select count(*) from orders_v2 where amount < 0", 0),
                new SqlAssertion("all-orders-arrived", TARGET, "select count(*) from orders_v2", 501))));

        assertThat(report.passed()).isFalse();
        assertThat(report.checks()).extracting(CheckResult::sourceValue, CheckResult::passed)
                .containsExactly(tuple("2", false), tuple("500", false));
        assertThat(report.detail()).isEqualTo("assertion no-negative-amounts fails: found 2 on target, expected 0;"
                + " assertion all-orders-arrived fails: found 500 on target, expected 501");
    }

    @Test
    void queryThatReturnsSomethingOtherThanOneNumberFailsItsCheckSayingWhatCameBack() {
        ValidationReport report = validation.compare(checks(List.of(), List.of(
                new SqlAssertion("text", TARGET, "select 'abc'", 0),
                new SqlAssertion("two-columns", TARGET, "select 1 as a, 2 as b", 0),
                new SqlAssertion("no-rows", TARGET, "select id from orders_v2 where id < 0", 0),
                new SqlAssertion("many-rows", TARGET, "select id from orders_v2", 0),
                new SqlAssertion("null", TARGET, "select max(amount) from orders_v2 where id < 0", 0))));

        assertThat(report.passed()).isFalse();
        assertThat(report.checks()).allSatisfy(check -> assertThat(check.passed()).isFalse());
        assertThat(report.checks()).extracting(CheckResult::detail).satisfiesExactly(
                text -> assertThat(text).startsWith("assertion text could not be checked: its query on target"
                        + " returned the ").endsWith(" value 'abc', not a number"),
                columns -> assertThat(columns).isEqualTo("assertion two-columns could not be checked: its query on"
                        + " target returned 2 columns [a, b]; a check needs exactly one row with one number"),
                none -> assertThat(none).endsWith("returned no rows; a check needs exactly one row with one number"),
                many -> assertThat(many).contains("returned more than one row"),
                nothing -> assertThat(nothing).contains("returned NULL; use coalesce(..., 0)"));
        assertThat(report.detail().split("; assertion ")).hasSize(5);
    }

    @Test
    void sqlErrorFailsItsCheckWithTheDatabaseMessageAndTheOtherChecksStillRun() {
        ValidationReport report = validation.compare(checks(
                List.of(new KpiCheck("revenue", new SqlQuery(LEGACY, "select sum(amount) from orders_v3"),
                        TARGET_REVENUE, 0, null)),
                List.of(new SqlAssertion("all-orders-arrived", LEGACY, "select count(*) from orders", 500))));

        assertThat(report.passed()).isFalse();
        assertThat(report.checks()).extracting(CheckResult::name, CheckResult::passed, CheckResult::sourceValue,
                        CheckResult::targetValue)
                .containsExactly(tuple("revenue", false, null, "62625.00"), tuple("all-orders-arrived", true, "500", null));
        assertThat(report.detail())
                .startsWith("KPI revenue could not be compared: the source query on legacy failed: ")
                .containsIgnoringCase("orders_v3")
                .contains("[SQLState 42")
                .doesNotContain("\n");
    }

    @Test
    void kpiOnlyStepComparesNoTables() {
        ValidationReport report = validation.compare(checks(List.of(
                new KpiCheck("revenue", SOURCE_REVENUE, TARGET_REVENUE, 0, null)), List.of()));

        assertThat(report.passed()).as(report.detail()).isTrue();
        assertThat(report.sourceRows()).isZero();
        assertThat(report.sourceChecksum()).isNull();
        assertThat(report.checks()).extracting(CheckResult::kind).containsExactly(Kind.KPI);
        assertThat(report.detail())
                .isEqualTo("KPI revenue agrees (source 62625.00, target 62625.00), within ±0");
    }

    @Test
    void tableComparisonKpisAndAssertionsAllCountTowardsTheVerdict() {
        ValidateStep step = new ValidateStep("parity", new TableRef(LEGACY, "orders"), new TableRef(TARGET, "orders_v2"),
                List.of("id"), 0, true, List.of(new KpiCheck("revenue", SOURCE_REVENUE, TARGET_REVENUE, 0, null)),
                List.of(new SqlAssertion("one-order-left", TARGET, "select count(*) from orders_v2", 1)));

        ValidationReport report = validation.compare(step);

        assertThat(report.checks()).extracting(CheckResult::kind, CheckResult::passed).containsExactly(
                tuple(Kind.ROW_COUNT, true), tuple(Kind.CHECKSUM, true), tuple(Kind.KPI, true),
                tuple(Kind.ASSERTION, false));
        assertThat(report.passed()).isFalse();
        assertThat(report.detail()).isEqualTo("assertion one-order-left fails: found 500 on target, expected 1");
    }

    @Test
    void unreachableDatabaseFailsTheActivitySoItRetries() {
        // Nothing listens on port 1: the connection is refused at once (SQLState 08001).
        JdbcConnectionRegistry gone = new JdbcConnectionRegistry(List.of(
                new ConnectionSettings("gone", "jdbc:postgresql://127.0.0.1:1/none", "nobody", "none")));
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        try {
            env.registerActivitiesImplementations(new ValidationActivitiesImpl(gone));
            ValidationActivities unreachable = env.newActivityStub(ValidationActivities.class, ONE_ATTEMPT);

            ApplicationFailure failure = applicationFailureOf(() -> unreachable.compare(checks(List.of(),
                    List.of(new SqlAssertion("anything", "gone", "select 1", 1)))));

            assertThat(failure.isNonRetryable()).isFalse();
            assertThat(failure.getType()).isEqualTo("DatabaseUnavailable");
        } finally {
            env.close();
        }
    }

    private static ValidateStep checks(List<KpiCheck> kpis, List<SqlAssertion> assertions) {
        return new ValidateStep("numbers", null, null, List.of(), 0, false, kpis, assertions);
    }
}
