package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backfill's shapes through the real worker, a real Temporal dev server and real PostgreSQL, started with the
 * same {@code temporal workflow start} as README's runbook: paid orders read through a query and renamed on the
 * way, and a 200,000-row table copied once in one key range and once in four at the same time. PostgreSQL itself
 * computes the md5s that show target == source, the chunk audit shows no row was written twice, and rejecting the
 * gate shows the rollback removes what each shape wrote. Logs rows/s of one range against four on the same rows.
 */
class BackfillShapesIT {

    static final String START = "temporal workflow start --type Runbook --task-queue runbooks"
            + " --workflow-id backfill-shapes --input '{\"file\":\"worker/src/test/resources/it-runbooks/"
            + "backfill-shapes.yaml\",\"startedBy\":\"alice\"}'";
    static final String STATUS = "temporal workflow query --workflow-id backfill-shapes --name status --output json";
    static final String REJECT = "temporal workflow signal --workflow-id backfill-shapes --name reject"
            + " --input '{\"gate\":\"looks-right\",\"by\":\"dba-oncall\",\"comment\":\"shapes checked\"}'";
    static final String RESULT = "temporal workflow result --workflow-id backfill-shapes --output json";

    private static final Logger log = LoggerFactory.getLogger(BackfillShapesIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENTS = 200_000;
    private static final int ORDERS = 60_000;
    /** The runbook's query, as the test reads it to compare. */
    private static final String PAID = "select o.id as order_id, o.customer_id, c.name as customer_name,"
            + " (o.amount * 100)::bigint as cents from orders o join customers c on c.id = o.customer_id"
            + " where o.status = 'paid'";
    private static final String EVENT_COLUMNS = "(id bigint primary key, account_id bigint not null,"
            + " kind varchar(20) not null, amount numeric(12,2) not null, created_at timestamptz not null, payload text)";

    private final TestServices services = TestServices.get();
    private final TemporalCli temporal = new TemporalCli(services);

    @Test
    void queryWithMappingAndFourKeyRangesCopyEveryRowOnceAndRollBackCleanly() throws Exception {
        String legacy = services.freshDatabase("shapes_legacy");
        String target = services.freshDatabase("shapes_target");
        createTables(legacy, target);
        long paid = Long.parseLong(scalar(legacy, "select count(*) from (" + PAID + ") q"));
        try (RunningWorker ignored = RunningWorker.start(services, legacy, target)) {
            temporal.run(START);
            JsonNode waiting = awaitState("AWAITING_APPROVAL");
            assertThat(waiting.at("/rowsCopied").asLong()).isEqualTo(paid + 2L * EVENTS);

            assertThat(scalar(target, "select md5(string_agg(row(id, customer, customer_name, amount_cents)::text,"
                    + " '|' order by id)) from paid_orders"))
                    .isEqualTo(scalar(legacy, "select md5(string_agg(row(order_id, customer_id, customer_name,"
                            + " cents)::text, '|' order by order_id)) from (" + PAID + ") q"));
            assertThat(scalar(target, "select count(*) from paid_orders where imported_at is null")).isEqualTo("0");
            String events = scalar(legacy, "select md5(string_agg(t::text, '|' order by id)) from events t");
            assertThat(scalar(target, "select md5(string_agg(t::text, '|' order by id)) from events_p1 t")).isEqualTo(events);
            assertThat(scalar(target, "select md5(string_agg(t::text, '|' order by id)) from events_p4 t")).isEqualTo(events);

            assertThat(audited(target, "paid-orders#range-%")).isEqualTo(paid);
            assertThat(audited(target, "events-one-range")).isEqualTo(EVENTS);
            assertThat(audited(target, "events-four-ranges#range-%")).isEqualTo(EVENTS);
            assertThat(scalar(target, "select count(*) from runbook_copy_progress where copy_key like"
                    + " '%/events-four-ranges#range-%' and rows_copied > 0")).isEqualTo("4");

            Map<String, Duration> took = CopyDurations.of(temporal, "backfill-shapes/copy");
            log.info("backfill-shapes: {} rows in 1 key range: {} ms = {} rows/s; in 4 key ranges: {} ms = {} rows/s",
                    EVENTS, took.get("events-one-range").toMillis(), CopyDurations.rowsPerSecond(EVENTS, took.get("events-one-range")),
                    took.get("events-four-ranges").toMillis(), CopyDurations.rowsPerSecond(EVENTS, took.get("events-four-ranges")));

            temporal.run(REJECT);
            JsonNode result = JSON.readTree(temporal.run(RESULT));

            assertThat(result.at("/result/outcome").asText()).isEqualTo("ROLLED_BACK");
            Map<String, String> undone = new HashMap<>();
            result.at("/result/compensations").forEach(c -> undone.put(c.at("/stepId").asText(), c.at("/detail").asText()));
            assertThat(undone.get("events-four-ranges")).startsWith("deleted 200000 of 200000 copied rows from target.events_p4"
                    + " (keys [1] to [50000], [50001] to [100000], [100001] to [150000], [150001] to [200000])");
            assertThat(undone.get("events-one-range")).startsWith("deleted 200000 of 200000 copied rows from target.events_p1");
            assertThat(undone.get("paid-orders")).startsWith("deleted " + paid + " of " + paid + " copied rows from target.paid_orders");
            assertThat(scalar(target, "select (select count(*) from paid_orders) + (select count(*) from events_p1)"
                    + " + (select count(*) from events_p4)")).isEqualTo("0");
        }
    }

    private void createTables(String legacy, String target) throws SQLException {
        execute(legacy,
                "create table customers (id bigint primary key, name text not null)",
                "insert into customers select g, 'customer ' || g || ' ünïcödé' from generate_series(0, 976) g",
                "create table orders (id bigint primary key, customer_id bigint not null references customers,"
                        + " amount numeric(12,2) not null, status varchar(20) not null)",
                "insert into orders select g, g % 977, (g * 37 % 100000) / 100.0,"
                        + " case when g % 11 = 0 then 'refunded' else 'paid' end from generate_series(1, " + ORDERS + ") g",
                "create table events " + EVENT_COLUMNS,
                "insert into events select g, g % 5003, case when g % 3 = 0 then 'debit' else 'credit' end,"
                        + " (g * 7919 % 1000000) / 100.0, timestamptz '2024-01-01 00:00:00+00' + g * interval '7 seconds',"
                        + " case when g % 13 = 0 then null else repeat(md5(g::text), 3) end"
                        + " from generate_series(1, " + EVENTS + ") g",
                "analyze");
        execute(target,
                "create table paid_orders (id bigint primary key, customer bigint not null, customer_name text not null,"
                        + " amount_cents bigint not null, imported_at timestamptz not null default now())",
                "create table events_p1 " + EVENT_COLUMNS,
                "create table events_p4 " + EVENT_COLUMNS);
    }

    /** Rows the chunk audit records for the copy keys of one step ({@code <run key>/<step id>[#range-i-of-n]}). */
    private long audited(String url, String copyKeySuffix) throws SQLException {
        return Long.parseLong(scalar(url, "select coalesce(sum(row_count), 0) from runbook_copy_chunks"
                + " where copy_key like '%/" + copyKeySuffix + "'"));
    }

    private JsonNode awaitState(String state) throws Exception {
        return Awaits.status(temporal, STATUS.replace(" --output json", ""), s -> state.equals(s.at("/state").asText()));
    }

    private void execute(String url, String... statements) throws SQLException {
        try (Connection c = services.connect(url); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    private String scalar(String url, String sql) throws SQLException {
        try (Connection c = services.connect(url); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
