package org.runbooks.validate;

import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.KeyDifferences;
import org.runbooks.api.ValidationReport;
import org.runbooks.jdbc.ReadOnlyQueries;
import org.runbooks.jdbc.TwoDatabases;
import org.runbooks.model.TableRef;
import org.runbooks.model.ValidateStep;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.jdbc.TwoDatabases.LEGACY;
import static org.runbooks.jdbc.TwoDatabases.ONE_ATTEMPT;
import static org.runbooks.jdbc.TwoDatabases.TARGET;
import static org.runbooks.jdbc.TwoDatabases.numbers;

/**
 * The checksum's bisection on H2: rows planted on the target (one changed, one deleted, one inserted) are reported
 * as exactly those keys, across segments and with composite keys; the list stops at its limit and says so; and a
 * retried attempt continues from the last segment its predecessor heartbeated.
 */
class RangeBisectionTest {

    private static final int ROWS = 10_000;
    /** Segments of 3,000 rows: bigger than a leaf (1,000), so a difference is found by cutting, not by listing. */
    private static final TableComparison.Limits SMALL = new TableComparison.Limits(3_000, Bisector.MAX_LISTED_KEYS);
    private static final String COLUMNS = "id bigint not null, customer varchar(100), amount decimal(12, 2) not null,"
            + " note varchar(200), tenant int not null";
    private static final String ROWS_SQL = "select x, 'customer-' || mod(x, 7), x * 0.5,"
            + " case when mod(x, 5) = 0 then null else 'note ' || x end, mod(x, 3) from " + numbers(1, ROWS);

    private final TwoDatabases db = new TwoDatabases();
    private final List<TestActivityEnvironment> environments = new ArrayList<>();
    private final List<ValidationCheckpoint> heartbeats = Collections.synchronizedList(new ArrayList<>());

    RangeBisectionTest() {
        db.execute(LEGACY, "create table orders (" + COLUMNS + ", primary key (id))", "insert into orders " + ROWS_SQL);
        db.execute(TARGET, "create table orders_v2 (" + COLUMNS + ", primary key (id))", "insert into orders_v2 " + ROWS_SQL);
    }

    @AfterEach
    void tearDown() {
        environments.forEach(TestActivityEnvironment::close);
        db.close();
    }

    @Test
    void oneChangedOneDeletedAndOneInsertedRowAreReportedAsExactlyTheirKeys() {
        plantThreeDifferences();

        ValidationReport report = validation(SMALL, null).compare(parity(List.of("id")));

        assertThat(report.passed()).isFalse();
        assertThat(report.differences()).isEqualTo(new KeyDifferences(List.of(List.of("777")),
                List.of(List.of("20000")), List.of(List.of("4321")), false));
        assertThat(report.detail()).isEqualTo("checksums differ: 1 key missing from the target (id=777);"
                + " 1 extra key in the target (id=20000); 1 changed row (id=4321)");
        assertThat(report.sourceRows()).isEqualTo(ROWS);
        assertThat(report.targetRows()).isEqualTo(ROWS);
        // Heartbeats are throttled; the first one always goes out, after the first segment.
        assertThat(heartbeats.getFirst()).extracting(ValidationCheckpoint::segments, ValidationCheckpoint::after)
                .containsExactly(1L, List.of("3000"));
    }

    @Test
    void equalTablesAgreeSegmentBySegment() {
        ValidationReport report = validation(SMALL, null).compare(parity(List.of("id")));

        assertThat(report.passed()).as(report.detail()).isTrue();
        assertThat(report.sourceChecksum()).hasSize(64).isEqualTo(report.targetChecksum());
        assertThat(report.differences()).isEqualTo(KeyDifferences.NONE);
    }

    @Test
    void compositeKeysAreListedWithEveryColumn() {
        db.execute(LEGACY, "alter table orders drop primary key", "alter table orders add primary key (tenant, id)");
        db.execute(TARGET, "alter table orders_v2 drop primary key", "alter table orders_v2 add primary key (tenant, id)");
        plantThreeDifferences();

        ValidationReport report = validation(SMALL, null).compare(parity(List.of("tenant", "id")));

        assertThat(report.differences()).isEqualTo(new KeyDifferences(List.of(List.of("0", "777")),
                List.of(List.of("2", "20000")), List.of(List.of("1", "4321")), false));
        assertThat(report.detail()).contains("1 changed row ((tenant=1, id=4321))");
    }

    @Test
    void listStopsAtItsLimitAndSaysMoreDiffer() {
        plantThreeDifferences();

        ValidationReport report = validation(new TableComparison.Limits(3_000, 2), null).compare(parity(List.of("id")));

        assertThat(report.differences().listed()).isEqualTo(2);
        assertThat(report.differences().truncated()).isTrue();
        assertThat(report.detail()).endsWith("; more differences not listed (a report lists 2)");
    }

    @Test
    void emptyTargetListsTheFirstMissingKeysWithoutBisecting() {
        db.execute(TARGET, "delete from orders_v2");

        ValidationReport report = validation(SMALL, null).compare(parity(List.of("id")));

        assertThat(report.differences().missing()).hasSize(Bisector.MAX_LISTED_KEYS)
                .startsWith(List.of("1"), List.of("2"));
        assertThat(report.differences().truncated()).isTrue();
        assertThat(report.targetRows()).isZero();
    }

    @Test
    void retriedAttemptContinuesAfterTheLastHeartbeatedSegment() {
        plantThreeDifferences();
        // As an attempt that died after two segments (keys up to 6,000) would have heartbeated it, with one key of
        // its own listed: the retry must keep that key and must not look at keys up to 6,000 again (777 and 4321).
        ValidationCheckpoint died = new ValidationCheckpoint("parity", List.of("6000"), 2, 6_000, 5_999, "aa", "aa",
                new KeyDifferences(List.of(List.of("12")), List.of(), List.of(), false));

        ValidationReport report = validation(SMALL, died).compare(parity(List.of("id")));

        assertThat(report.differences()).isEqualTo(new KeyDifferences(List.of(List.of("12")),
                List.of(List.of("20000")), List.of(), false));
        assertThat(report.sourceRows()).isEqualTo(ROWS);
        assertThat(report.targetRows()).isEqualTo(ROWS);
        assertThat(heartbeats.getFirst()).extracting(ValidationCheckpoint::segments, ValidationCheckpoint::after)
                .containsExactly(3L, List.of("9000"));
    }

    @Test
    void sparseKeysAcrossAGapAreCutByTheRowsTheyHoldAndDifferencesAreStillExact() throws Exception {
        // Ids 1..5,000, then every thousandth id up to 10,000,000: the segments widen across the sparse part.
        String sparse = "select case when x <= 5000 then x else x * 1000 end, 'c', x * 0.5, null, mod(x, 3) from "
                + numbers(1, ROWS);
        db.execute(LEGACY, "delete from orders", "insert into orders " + sparse);
        db.execute(TARGET, "delete from orders_v2", "insert into orders_v2 " + sparse,
                "update orders_v2 set note = 'edited' where id = 7000000", "delete from orders_v2 where id = 9000000",
                "insert into orders_v2 values (6500500, 'new', 1, null, 2)");

        ValidationReport report = validation(SMALL, null).compare(parity(List.of("id")));

        assertThat(report.differences()).isEqualTo(new KeyDifferences(List.of(List.of("9000000")),
                List.of(List.of("6500500")), List.of(List.of("7000000")), false));
        assertThat(report.sourceRows()).isEqualTo(ROWS);
        List<ValidationCheckpoint> segments = new ArrayList<>();
        try (ReadOnlyQueries queries = new ReadOnlyQueries(db.registry)) {
            TableComparison.run(queries, parity(List.of("id")), SMALL, ValidationCheckpoint.start("parity"),
                    segments::add);
        }
        assertThat(segments).as("segments of up to 3,000 rows that widen over the gap, not 10,000,000 / 3,000")
                .hasSizeBetween(4, 12);
    }

    /** Changes id 4321, deletes id 777 and inserts id 20000 (above every source key) on the target. */
    private void plantThreeDifferences() {
        db.execute(TARGET, "update orders_v2 set note = 'edited' where id = 4321",
                "delete from orders_v2 where id = 777",
                "insert into orders_v2 values (20000, 'new', 1, null, 2)");
    }

    private ValidationActivities validation(TableComparison.Limits limits, ValidationCheckpoint resumed) {
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        environments.add(env);
        env.registerActivitiesImplementations(new ValidationActivitiesImpl(db.registry, limits));
        env.setActivityHeartbeatListener(ValidationCheckpoint.class, heartbeats::add);
        if (resumed != null) {
            env.setHeartbeatDetails(resumed);
        }
        return env.newActivityStub(ValidationActivities.class, ONE_ATTEMPT);
    }

    private static ValidateStep parity(List<String> key) {
        return new ValidateStep("parity", new TableRef(LEGACY, "orders"), new TableRef(TARGET, "orders_v2"), key, 0,
                true);
    }
}
