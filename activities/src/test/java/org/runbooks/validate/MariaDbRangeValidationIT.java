package org.runbooks.validate;

import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.KeyDifferences;
import org.runbooks.api.RemoveCopiedRows;
import org.runbooks.api.ValidationReport;
import org.runbooks.backfill.BackfillActivities;
import org.runbooks.backfill.BackfillActivitiesImpl;
import org.runbooks.backfill.BackfillFixture;
import org.runbooks.backfill.BackfillRequest;
import org.runbooks.jdbc.MariaDbDatabases;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.ChecksumColumns;
import org.runbooks.model.LeftOutColumns;
import org.runbooks.model.TableRef;
import org.runbooks.model.ValidateStep;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.backfill.BackfillFixture.ONE_ATTEMPT;
import static org.runbooks.jdbc.MariaDbDatabases.LEGACY;
import static org.runbooks.jdbc.MariaDbDatabases.TARGET;

/**
 * The in-database range checksum and the rollback's key-range delete on real MariaDB, over a composite key whose
 * comparisons {@link org.runbooks.jdbc.dialect.MariaDbDialect} spells out column by column: a copy validates clean, three
 * planted differences are reported as exactly their keys, and the rollback deletes exactly the copied key range.
 * The table is called {@code lines}, a reserved word in MariaDB, so every statement must quote it.
 */
class MariaDbRangeValidationIT {

    private static final String COLUMNS = "(tenant varchar(20) not null, id bigint not null, amount decimal(12,2),"
            + " note text, at datetime(6), span time(6), primary key (tenant, id))";

    private final List<TestActivityEnvironment> environments = new ArrayList<>();

    @AfterEach
    void tearDown() {
        environments.forEach(TestActivityEnvironment::close);
    }

    @Test
    void plantedDifferencesAreReportedAsTheirCompositeKeysAndRollbackDeletesTheCopiedRange() {
        MariaDbDatabases db = new MariaDbDatabases("maria_validate");
        db.execute(LEGACY, "create table `lines` " + COLUMNS,
                "insert into `lines` select elt(1 + seq % 3, 'acme', 'o''brien', 'back\\\\slash'), seq, seq * 0.37,"
                        + " if(seq % 7 = 0, null, concat('ünï ', seq)), timestamp '2024-01-01 00:00:00' + interval seq second"
                        + " + interval seq microsecond, sec_to_time(cast(seq as signed) * 13 - 100000 + seq * 0.000001)"
                        + " from seq_1_to_25000");
        db.execute(TARGET, "create table `lines` " + COLUMNS);
        BackfillStep copy = new BackfillStep("copy", new TableRef(LEGACY, "lines"), new TableRef(TARGET, "lines"),
                List.of("tenant", "id"), 4_000, BackfillRollback.DELETE_COPIED);
        backfill(db).copyTable(new BackfillRequest("run-1/copy", "validate", copy));
        ValidateStep parity = new ValidateStep("parity", new TableRef(LEGACY, "lines"), new TableRef(TARGET, "lines"),
                List.of("tenant", "id"), 0, true);

        ValidationReport equal = validation(db).compare(parity);
        db.execute(TARGET, "update `lines` set span = addtime(span, '0.000001') where tenant = 'acme' and id = 12345",
                "delete from `lines` where tenant = 'o''brien' and id = 1",
                "insert into `lines` (tenant, id) values ('zzz', 1)");
        ValidationReport planted = validation(db).compare(parity);
        String removed = backfill(db).removeCopiedRows(new RemoveCopiedRows("run-1/copy", copy));

        assertThat(equal.passed()).as(equal.detail()).isTrue();
        assertThat(equal.sourceRows()).isEqualTo(25_000);
        assertThat(equal.sourceChecksum()).isEqualTo(equal.targetChecksum());
        assertThat(planted.passed()).isFalse();
        assertThat(planted.differences()).isEqualTo(new KeyDifferences(List.of(List.of("o'brien", "1")),
                List.of(List.of("zzz", "1")), List.of(List.of("acme", "12345")), false));
        // The rollback keeps what changed on the target since the copy: the updated row and the inserted one.
        assertThat(removed).startsWith("deleted 24998 of 25000 copied rows from target.lines");
        assertThat(db.scalar(TARGET, "select group_concat(tenant, '/', id order by tenant, id) from `lines`"))
                .isEqualTo("acme/12345,zzz/1");
    }

    @Test
    void aRenamedColumnIsComparedThroughTheMappingAndRowsWithANullKeyAreCounted() {
        MariaDbDatabases db = new MariaDbDatabases("maria_mapped");
        db.execute(LEGACY, "create table accounts (id int, balance int not null)",
                "insert into accounts select seq, seq * 10 from seq_1_to_100", "insert into accounts values (null, 7)");
        db.execute(TARGET, "create table accounts_v2 (id int primary key, balance_cents int not null)",
                "insert into accounts_v2 select seq, if(seq % 10 = 0, 0, seq * 10) from seq_1_to_100");
        ValidateStep parity = new ValidateStep("parity", new TableRef(LEGACY, "accounts"),
                new TableRef(TARGET, "accounts_v2"), List.of("id"), 0, true, List.of(), List.of(), null, null,
                new ChecksumColumns(Map.of("id", "id", "balance", "balance_cents"), LeftOutColumns.FAIL));

        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        environments.add(env);
        env.registerActivitiesImplementations(new ValidationActivitiesImpl(db.registry,
                new TableComparison.Limits(20, 100)));
        ValidationReport report = env.newActivityStub(ValidationActivities.class, ONE_ATTEMPT).compare(parity);

        assertThat(report.passed()).isFalse();
        assertThat(report.sourceRows()).isEqualTo(101);
        assertThat(report.comparedColumns()).containsExactly("id", "balance->balance_cents");
        assertThat(report.differences().changed()).containsExactly(List.of("10"), List.of("20"), List.of("30"),
                List.of("40"), List.of("50"), List.of("60"), List.of("70"), List.of("80"), List.of("90"),
                List.of("100"));
        assertThat(report.detail()).contains("rows with a NULL key, which no key names and a backfill does not copy:"
                + " 1 on the source, 0 on the target");
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
