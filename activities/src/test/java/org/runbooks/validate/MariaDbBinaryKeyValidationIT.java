package org.runbooks.validate;

import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.KeyDifferences;
import org.runbooks.api.KeyRepairResult;
import org.runbooks.api.ValidationReport;
import org.runbooks.backfill.BackfillActivities;
import org.runbooks.backfill.BackfillActivitiesImpl;
import org.runbooks.backfill.BackfillRequest;
import org.runbooks.backfill.KeyRepairRequest;
import org.runbooks.jdbc.MariaDbDatabases;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.LagWindow;
import org.runbooks.model.TableRef;
import org.runbooks.model.ValidateStep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.backfill.BackfillFixture.ONE_ATTEMPT;
import static org.runbooks.jdbc.MariaDbDatabases.LEGACY;
import static org.runbooks.jdbc.MariaDbDatabases.TARGET;

/**
 * A {@code varbinary} key on real MariaDB, whose values are bytes in no character set: a bisection cuts the table at
 * such keys, a repair reads and writes rows by them, and a lag window leaves them out, and each binds them back as
 * the bytes they are (a checkpoint's {@code \x} hex), never as the text of their hex. Among the keys are the empty
 * value, {@code 00}, {@code ff} and {@code 5c78}, whose bytes spell {@code \x}.
 */
class MariaDbBinaryKeyValidationIT {

    /** 3,000 rows and more: past the 1,000 a bisection compares key by key, so the differences are found by cutting. */
    private static final String COLUMNS = "(k varbinary(16) primary key, v int not null, at datetime(6) not null)";

    private final List<TestActivityEnvironment> environments = new ArrayList<>();

    @AfterEach
    void tearDown() {
        environments.forEach(TestActivityEnvironment::close);
    }

    @Test
    void differencesAtBinaryKeysAreBisectedToTheirKeysRepairedAndLeftOutWhileInFlight() {
        MariaDbDatabases db = new MariaDbDatabases("maria_binary_keys");
        db.execute(LEGACY, "create table blobs " + COLUMNS,
                "insert into blobs select unhex(md5(seq)), seq, timestamp '2024-01-01 00:00:00' from seq_1_to_3000",
                "insert into blobs values (x'', 0, '2024-01-01'), (x'00', -1, '2024-01-01'),"
                        + " (x'ff', -2, '2024-01-01'), (x'5c78', -3, '2024-01-01')");
        db.execute(TARGET, "create table blobs " + COLUMNS);
        BackfillStep copy = new BackfillStep("copy", new TableRef(LEGACY, "blobs"), new TableRef(TARGET, "blobs"),
                List.of("k"), 400, BackfillRollback.DELETE_COPIED);
        ValidateStep parity = new ValidateStep("parity", copy.from(), copy.to(), List.of("k"), 0, true);
        backfill(db).copyTable(new BackfillRequest("run-1/copy", "binary", copy));

        ValidationReport equal = validation(db).compare(parity);
        db.execute(TARGET, "update blobs set v = v + 1 where k = unhex(md5(5))", "update blobs set v = 7 where k = x''",
                "delete from blobs where k = unhex(md5(700))", "delete from blobs where k = x'5c78'",
                "insert into blobs values (x'5c', 9, '2024-01-01')");
        ValidationReport planted = validation(db).compare(parity);
        KeyDifferences found = planted.differences();
        List<List<String>> keys = new ArrayList<>(found.missing());
        keys.addAll(found.extra());
        keys.addAll(found.changed());
        KeyRepairResult repaired = backfill(db).repairKeys(new KeyRepairRequest("run-1/parity/repair-1", "binary",
                copy, List.of("k"), keys));
        ValidationReport afterRepair = validation(db).compare(parity);
        db.execute(TARGET, "update blobs set v = 0, at = now(6) where k in (unhex(md5(9)), x'00')",
                "insert into blobs values (x'abcd', 1, now(6))");
        ValidationReport inFlight = validation(db).compare(new ValidateStep("parity", copy.from(), copy.to(),
                List.of("k"), 0, true, List.of(), List.of(), null, new LagWindow("at", Duration.ofHours(1))));

        assertThat(equal.passed()).as(equal.detail()).isTrue();
        assertThat(found).isEqualTo(new KeyDifferences(List.of(List.of("\\x5c78"), key(db, "unhex(md5(700))")),
                List.of(List.of("\\x5c")), List.of(List.of("\\x"), key(db, "unhex(md5(5))")), false));
        assertThat(repaired).isEqualTo(new KeyRepairResult(4, 1, 0));
        assertThat(afterRepair.passed()).as(afterRepair.detail()).isTrue();
        assertThat(db.scalar(TARGET, "select v from blobs where k = x'5c78'")).isEqualTo("-3");
        assertThat(inFlight.passed()).as(inFlight.detail()).isTrue();
        assertThat(inFlight.detail()).contains("3 key(s) with at after now - PT1H (in flight) left out on both sides");
    }

    /** The key as a validation lists it: {@code \x} and the bytes in lower-case hex. */
    private static List<String> key(MariaDbDatabases db, String bytes) {
        return List.of("\\x" + db.scalar(LEGACY, "select lower(hex(" + bytes + "))"));
    }

    private BackfillActivities backfill(MariaDbDatabases db) {
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        environments.add(env);
        env.registerActivitiesImplementations(new BackfillActivitiesImpl(db.registry));
        return env.newActivityStub(BackfillActivities.class, ONE_ATTEMPT);
    }

    private ValidationActivities validation(MariaDbDatabases db) {
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        environments.add(env);
        env.registerActivitiesImplementations(new ValidationActivitiesImpl(db.registry));
        return env.newActivityStub(ValidationActivities.class, ONE_ATTEMPT);
    }
}
