package org.runbooks.backfill;

import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.RemoveCopiedRows;
import org.runbooks.jdbc.TwoDatabases;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.TableRef;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.jdbc.TwoDatabases.LEGACY;
import static org.runbooks.jdbc.TwoDatabases.TARGET;
import static org.runbooks.jdbc.TwoDatabases.applicationFailureOf;

/** Copies whose rows come from a query, and copies that rename columns on the way. */
class BackfillQueryAndMappingTest {

    private static final int ORDERS = 2_500;
    private static final String COPY_KEY = "run-9/copy-paid";
    /** Every even id: 1,250 rows, the amount in cents, and a column the mapping leaves behind. */
    private static final String PAID_ORDERS = "select id as order_id, customer, amount * 100 as cents, note"
            + " from orders where mod(id, 2) = 0";
    private static final String SOURCE_ROWS = "select order_id, customer, cents from (" + PAID_ORDERS + ") q"
            + " order by order_id";
    private static final String TARGET_ROWS = "select id, buyer, amount_cents from paid_orders order by id";

    private final BackfillFixture fixture = new BackfillFixture().withOrders(ORDERS);
    private final TwoDatabases db = fixture.db;

    BackfillQueryAndMappingTest() {
        db.execute(TARGET, "create table paid_orders (id bigint primary key, buyer varchar(100) not null,"
                + " amount_cents decimal(14, 2) not null, note varchar(200) default 'not copied')");
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void rowsOfAQueryLandInTheMappedColumnsOnly() {
        BackfillResult result = fixture.copier().backfill().copyTable(request(paidStep(1, mapping())));

        assertThat(result).isEqualTo(new BackfillResult(1_250, 7, 0, List.of("6"), List.of("7500"), 1));
        List<List<Object>> source = db.rows(LEGACY, SOURCE_ROWS);
        assertThat(source).hasSize(1_250);
        assertThat(db.rows(TARGET, TARGET_ROWS)).isEqualTo(source);
        assertThat(db.rows(TARGET, "select distinct note from paid_orders")).containsExactly(List.of("not copied"));
        assertThat(fixture.auditedRows(COPY_KEY)).isEqualTo(1_250);
    }

    @Test
    void queryIsCutIntoKeyRangesLikeATable() {
        BackfillResult result = fixture.copier().backfill().copyTable(request(paidStep(3, mapping())));

        assertThat(result.keyRanges()).isEqualTo(3);
        assertThat(result.rowsCopied()).isEqualTo(1_250);
        assertThat(db.rows(TARGET, TARGET_ROWS)).isEqualTo(db.rows(LEGACY, SOURCE_ROWS));
        assertThat(fixture.auditedRows(COPY_KEY)).isEqualTo(1_250);
    }

    @Test
    void upsertMatchesOnTheTargetNameOfTheKey() {
        db.execute(TARGET, "insert into paid_orders (id, buyer, amount_cents) values (6, 'stale', 1)");

        fixture.copier().backfill().copyTable(request(paidStep(2, mapping())));

        assertThat(db.rows(TARGET, "select buyer, amount_cents from paid_orders where id = 6"))
                .containsExactly(List.of("customer-2", new java.math.BigDecimal("250.00")));
        assertThat(db.count(TARGET, "select count(*) from paid_orders")).isEqualTo(1_250);
    }

    @Test
    void rollbackOfAMappedSplitCopyDeletesByTheTargetKey() {
        BackfillStep step = paidStep(2, mapping());
        fixture.copier().backfill().copyTable(request(step));

        String removed = fixture.copier().backfill().removeCopiedRows(new RemoveCopiedRows(COPY_KEY, step));

        assertThat(removed).startsWith("deleted 1250 of 1250 copied rows from target.paid_orders (keys [6] to ");
        assertThat(db.count(TARGET, "select count(*) from paid_orders")).isZero();
    }

    @Test
    void queryWithoutAMappingCopiesEveryColumnByName() {
        db.execute(TARGET, "create table orders_copy (" + BackfillFixture.ORDERS_COLUMNS + ")");
        BackfillStep step = new BackfillStep("copy-recent", new TableRef(LEGACY, null),
                "select * from orders where id > 7000;", new TableRef(TARGET, "orders_copy"), List.of("id"),
                Map.of(), 50, 1, 0, BackfillRollback.DELETE_COPIED);

        BackfillResult result = fixture.copier().backfill().copyTable(request(step));

        assertThat(result.rowsCopied()).isEqualTo(167);
        assertThat(db.rows(TARGET, "select * from orders_copy order by id"))
                .isEqualTo(db.rows(LEGACY, "select * from orders where id > 7000 order by id"));
    }

    @Test
    void mappingFromAColumnTheQueryLacksIsASchemaMismatch() {
        Map<String, String> columns = mapping();
        columns.put("discount", "amount_cents");
        columns.remove("cents");

        ApplicationFailure failure = applicationFailureOf(
                () -> fixture.copier().backfill().copyTable(request(paidStep(1, columns))));

        assertThat(failure.getType()).isEqualTo("SchemaMismatch");
        assertThat(failure.getOriginalMessage())
                .isEqualTo("the query on legacy has no columns [discount] that columns maps from");
    }

    @Test
    void mappingToAColumnTheTargetLacksIsASchemaMismatch() {
        Map<String, String> columns = mapping();
        columns.put("note", "remark");

        ApplicationFailure failure = applicationFailureOf(
                () -> fixture.copier().backfill().copyTable(request(paidStep(1, columns))));

        assertThat(failure.getOriginalMessage())
                .isEqualTo("target target.paid_orders lacks columns [remark] that columns maps to");
        assertThat(db.count(TARGET, "select count(*) from paid_orders")).isZero();
    }

    private static Map<String, String> mapping() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("order_id", "id");
        columns.put("customer", "buyer");
        columns.put("cents", "amount_cents");
        return columns;
    }

    private static BackfillStep paidStep(int parallelism, Map<String, String> columns) {
        return new BackfillStep("copy-paid", new TableRef(LEGACY, null), PAID_ORDERS,
                new TableRef(TARGET, "paid_orders"), List.of("order_id"), columns, 200, parallelism, 0,
                BackfillRollback.DELETE_COPIED);
    }

    private static BackfillRequest request(BackfillStep step) {
        return new BackfillRequest(COPY_KEY, "orders-to-v2", step);
    }
}
