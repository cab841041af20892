package org.runbooks.validate;

import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.KeyDifferences;
import org.runbooks.api.ValidationReport;
import org.runbooks.jdbc.TwoDatabases;
import org.runbooks.model.LagWindow;
import org.runbooks.model.TableRef;
import org.runbooks.model.ValidateStep;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.jdbc.TwoDatabases.LEGACY;
import static org.runbooks.jdbc.TwoDatabases.ONE_ATTEMPT;
import static org.runbooks.jdbc.TwoDatabases.TARGET;
import static org.runbooks.jdbc.TwoDatabases.numbers;

/**
 * A validate step's lag window on H2: a row the source changed a moment ago (and one it inserted a moment ago) is
 * still in flight and left out of both sides' counts, checksums and bisection (the target's stale copy of the
 * changed row too), while a row changed long ago that the target never got is reported as its key.
 */
class LagWindowValidationTest {

    private static final String COLUMNS = "id bigint primary key, amount decimal(12, 2), updated_at timestamp";
    private static final String ROWS = "select x, x * 0.5, timestamp '2024-01-01 00:00:00' from " + numbers(1, 5_000);

    private final TwoDatabases db = new TwoDatabases();
    private final TestActivityEnvironment env = TestActivityEnvironment.newInstance();

    LagWindowValidationTest() {
        db.execute(LEGACY, "create table orders (" + COLUMNS + ")", "insert into orders " + ROWS,
                "update orders set amount = 1, updated_at = current_timestamp where id = 10",
                "update orders set amount = 2, updated_at = timestamp '2024-06-01 00:00:00' where id = 20",
                "insert into orders values (6000, 3, current_timestamp)");
        db.execute(TARGET, "create table orders_v2 (" + COLUMNS + ")", "insert into orders_v2 " + ROWS);
        env.registerActivitiesImplementations(new ValidationActivitiesImpl(db.registry,
                new TableComparison.Limits(2_000, Bisector.MAX_LISTED_KEYS)));
    }

    @AfterEach
    void tearDown() {
        env.close();
        db.close();
    }

    private ValidationReport compare(LagWindow window) {
        ValidateStep step = new ValidateStep("parity", new TableRef(LEGACY, "orders"), new TableRef(TARGET,
                "orders_v2"), List.of("id"), 0, true, List.of(), List.of(), null, window);
        return env.newActivityStub(ValidationActivities.class, ONE_ATTEMPT).compare(step);
    }

    @Test
    void recentlyUpdatedRowsAreLeftOutAndAnOlderDifferenceIsReported() {
        ValidationReport report = compare(new LagWindow("updated_at", Duration.ofMinutes(5)));

        assertThat(report.passed()).isFalse();
        assertThat(report.differences()).isEqualTo(new KeyDifferences(List.of(), List.of(),
                List.of(List.of("20")), false));
        assertThat(report.sourceRows()).as("the new row 6000 and the fresh row 10 are in flight").isEqualTo(4_999);
        assertThat(report.targetRows()).as("row 10 is left out on the target too").isEqualTo(4_999);
        assertThat(report.detail()).contains("checksums differ").contains("2 key(s) with updated_at after ")
                .contains("(in flight) left out on both sides");
    }

    @Test
    void withoutTheWindowEveryDifferenceIsReported() {
        ValidationReport report = compare(null);

        assertThat(report.differences()).isEqualTo(new KeyDifferences(List.of(List.of("6000")), List.of(),
                List.of(List.of("10"), List.of("20")), false));
        assertThat(report.detail()).doesNotContain("in flight");
    }

    @Test
    void aComparisonThatLeavesOutEveryRowDoesNotPass() {
        db.execute(LEGACY, "create table fresh (" + COLUMNS + ")",
                "insert into fresh select x, x, current_timestamp from " + numbers(1, 50));
        db.execute(TARGET, "create table fresh (" + COLUMNS + ")",
                "insert into fresh select x, x + 1, current_timestamp from " + numbers(1, 50));
        ValidateStep step = new ValidateStep("parity", new TableRef(LEGACY, "fresh"), new TableRef(TARGET, "fresh"),
                List.of("id"), 0, true, List.of(), List.of(), null,
                new LagWindow("updated_at", Duration.ofMinutes(5)));

        ValidationReport report = env.newActivityStub(ValidationActivities.class, ONE_ATTEMPT).compare(step);

        assertThat(report.sourceRows()).isZero();
        assertThat(report.passed()).isFalse();
        assertThat(report.checks()).allSatisfy(check -> assertThat(check.passed()).isFalse());
        assertThat(report.detail()).contains("no row was compared");
    }

    @Test
    void aWindowShorterThanTheAgeOfTheChangeComparesIt() throws InterruptedException {
        Thread.sleep(1_100);

        ValidationReport report = compare(new LagWindow("updated_at", Duration.ofSeconds(1)));

        assertThat(report.differences().changed()).containsExactly(List.of("10"), List.of("20"));
        assertThat(report.differences().missing()).containsExactly(List.of("6000"));
    }
}
