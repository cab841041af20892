package org.runbooks.backfill;

import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.RemoveCopiedRows;
import org.runbooks.jdbc.PgDatabases;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.TableRef;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.backfill.BackfillFixture.ONE_ATTEMPT;
import static org.runbooks.jdbc.PgDatabases.LEGACY;
import static org.runbooks.jdbc.PgDatabases.TARGET;

/**
 * A backfill's rollback on real PostgreSQL removes exactly the copied rows nobody changed since, whatever order the
 * target's collation puts the keys in, by the COPY path and the batched path alike.
 */
class CopiedRowRemovalIT {

    private final List<TestActivityEnvironment> environments = new ArrayList<>();

    @AfterEach
    void tearDown() {
        environments.forEach(TestActivityEnvironment::close);
    }

    @Test
    void rollbackRemovesTheCopiedTextKeysWhenTheTargetCollationOrdersThemOtherwise() {
        PgDatabases db = new PgDatabases("removal_collation");
        // ICU's root collation orders a < A < b < B; "C" orders A < B < a < b, so the copied span ['a', 'B'] of the
        // source is empty when the target compares it in its own collation.
        db.execute(LEGACY, "create table words (w text collate \"und-x-icu\" primary key, n int)",
                "insert into words values ('a', 1), ('A', 2), ('b', 3), ('B', 4)");
        db.execute(TARGET, "create table words (w text collate \"C\" primary key, n int)");
        BackfillStep step = new BackfillStep("copy-words", new TableRef(LEGACY, "words"), new TableRef(TARGET, "words"),
                List.of("w"), 2, BackfillRollback.DELETE_COPIED);
        BackfillActivities backfill = backfill(db.registry);
        backfill.copyTable(new BackfillRequest("run-1/copy-words", "collation", step));

        String removed = backfill.removeCopiedRows(new RemoveCopiedRows("run-1/copy-words", step));

        assertThat(removed).isEqualTo("deleted 4 of 4 copied rows from target.words (keys [a] to [B])");
        assertThat(db.scalar(TARGET, "select count(*) from words")).isEqualTo("0");
    }

    @Test
    void rollbackByTheCopyPathKeepsWhatTheApplicationWroteOrChanged() {
        PgDatabases db = new PgDatabases("removal_copy");
        assertKeepsTheApplicationsRows(db, db.registry);
    }

    @Test
    void rollbackByTheBatchedPathKeepsWhatTheApplicationWroteOrChanged() {
        PgDatabases db = new PgDatabases("removal_batched");
        assertKeepsTheApplicationsRows(db, db.upsertOnly());
    }

    private void assertKeepsTheApplicationsRows(PgDatabases db, ConnectionRegistry registry) {
        String columns = "id bigint primary key, amount numeric(12, 2) not null, placed_at timestamptz not null,"
                + " tags jsonb, note text";
        db.execute(LEGACY, "create table orders (" + columns + ")",
                "insert into orders select x * 2, x * 1.5, timestamptz '2024-03-31 00:30:00+00' + x * interval '1 minute',"
                        + " jsonb_build_object('n', x), case when x % 7 = 0 then null else repeat('n', x % 50) end"
                        + " from generate_series(1, 5000) x");
        db.execute(TARGET, "create table orders_v2 (" + columns + ")");
        BackfillStep step = new BackfillStep("copy-orders", new TableRef(LEGACY, "orders"),
                new TableRef(TARGET, "orders_v2"), List.of("id"), 1000, BackfillRollback.DELETE_COPIED);
        BackfillActivities backfill = backfill(registry);
        backfill.copyTable(new BackfillRequest("run-1/copy-orders", "orders", step));
        // The soak: the application writes through the target, inside the copied span.
        db.execute(TARGET, "insert into orders_v2 values (3, 9.99, now(), null, 'written during the soak')",
                "update orders_v2 set note = 'changed during the soak' where id = 5000",
                "update orders_v2 set tags = '{\"n\": -1}' where id = 9998");

        String removed = backfill.removeCopiedRows(new RemoveCopiedRows("run-1/copy-orders", step));

        assertThat(db.rows(TARGET, "select id::text, note from orders_v2 order by id")).containsExactly(
                List.of("3", "written during the soak"), List.of("5000", "changed during the soak"),
                List.of("9998", "n".repeat(49)));
        assertThat(removed).isEqualTo("deleted 4998 of 5000 copied rows from target.orders_v2 (keys [2] to [10000]);"
                + " kept 3 rows that the source does not hold as they are now (written or changed since the copy),"
                + " keys [3], [5000], [9998]");
        assertThat(db.scalar(TARGET, "select sum(rows_deleted)::text || '/' || sum(batches)::text"
                + " from runbook_copy_removals")).isEqualTo("4998/10");
    }

    private BackfillActivities backfill(ConnectionRegistry registry) {
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        environments.add(env);
        env.registerActivitiesImplementations(new BackfillActivitiesImpl(registry));
        return env.newActivityStub(BackfillActivities.class, ONE_ATTEMPT);
    }
}
