package org.runbooks.backfill;

import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.KeyRepairResult;
import org.runbooks.jdbc.Failures;
import org.runbooks.jdbc.StatementCancel;
import org.runbooks.jdbc.TwoDatabases;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.TableRef;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.runbooks.jdbc.TwoDatabases.LEGACY;
import static org.runbooks.jdbc.TwoDatabases.TARGET;

/** Re-copying the keys a validation listed, on two H2 databases: each key ends as the source holds it now. */
class KeyRepairTest {

    private final TwoDatabases dbs = new TwoDatabases();
    private final KeyRepair repair = new KeyRepair(dbs.registry, new CopyPlanner(dbs.registry),
            StatementCancel.NONE);

    @AfterEach
    void close() {
        dbs.close();
    }

    private void tables() {
        dbs.execute(LEGACY, "create table orders (id bigint primary key, amount numeric(10,2), note varchar(40))",
                "insert into orders values (1, 10.00, 'a'), (2, 20.00, 'b'), (3, 30.00, 'c'), (4, 40.00, null)");
        dbs.execute(TARGET, "create table orders_v2 (id bigint primary key, amount numeric(10,2), note varchar(40))",
                "insert into orders_v2 values (1, 10.00, 'a'), (3, 33.00, 'stale'), (4, 40.00, null), (9, 90.00, 'gone')");
    }

    private static BackfillStep copy() {
        return new BackfillStep("copy", new TableRef(LEGACY, "orders"), new TableRef(TARGET, "orders_v2"),
                List.of("id"), 100, BackfillRollback.DELETE_COPIED);
    }

    private KeyRepairResult repair(BackfillStep step, List<String> key, List<List<String>> keys) throws Exception {
        return repair.run(new KeyRepairRequest("run/parity/repair-1", "rb", step, key, keys));
    }

    @Test
    void missingChangedAndExtraKeysEndAsTheSourceHasThemAndARepeatChangesNothing() throws Exception {
        tables();
        List<List<String>> keys = List.of(List.of("2"), List.of("9"), List.of("3"), List.of("42"));

        KeyRepairResult first = repair(copy(), List.of("id"), keys);
        List<List<Object>> after = dbs.rows(TARGET, "select id, amount, note from orders_v2 order by id");
        KeyRepairResult second = repair(copy(), List.of("id"), keys);

        assertThat(first).isEqualTo(new KeyRepairResult(2, 1, 1));
        assertThat(after).isEqualTo(dbs.rows(LEGACY, "select id, amount, note from orders order by id"));
        assertThat(second).isEqualTo(new KeyRepairResult(2, 0, 2));
        assertThat(dbs.rows(TARGET, "select id, amount, note from orders_v2 order by id")).isEqualTo(after);
    }

    @Test
    void aMappedQueryBackfillRepairsThroughItsMapping() throws Exception {
        dbs.execute(LEGACY, "create table customers (id bigint primary key, name varchar(40))",
                "insert into customers values (1, 'ann'), (2, 'bob')");
        dbs.execute(TARGET, "create table customers_v2 (customer_id bigint primary key, full_name varchar(40))",
                "insert into customers_v2 values (1, 'ANN'), (3, 'cy')");
        BackfillStep mapped = new BackfillStep("copy-customers", new TableRef(LEGACY, null),
                "select id, upper(name) as name from customers", new TableRef(TARGET, "customers_v2"), List.of("id"),
                Map.of("id", "customer_id", "name", "full_name"), 100, 1, 0, BackfillRollback.KEEP);

        KeyRepairResult done = repair(mapped, List.of("customer_id"), List.of(List.of("2"), List.of("3")));

        assertThat(done).isEqualTo(new KeyRepairResult(1, 1, 0));
        assertThat(dbs.rows(TARGET, "select customer_id, full_name from customers_v2 order by customer_id"))
                .containsExactly(List.of(1L, "ANN"), List.of(2L, "BOB"));
    }

    @Test
    void aKeyOtherThanTheOneTheBackfillWritesIsRefused() {
        tables();

        ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class,
                () -> repair(copy(), List.of("note"), List.of(List.of("a"))));

        assertThat(failure.getType()).isEqualTo(Failures.SCHEMA_MISMATCH);
        assertThat(failure.getOriginalMessage()).isEqualTo("the repair's key [note] is not the key [id] that copy"
                + " writes into target.orders_v2");
        assertThat(dbs.count(TARGET, "select count(*) from orders_v2")).isEqualTo(4);
    }
}
