package org.runbooks.worker.it;

import org.runbooks.cutover.LiveClient;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three seed scenarios in runbooks/, each run end to end on the real worker, the Temporal dev server and real
 * PostgreSQL, through README's {@code temporal} commands. Soaks are shortened; everything else is as written.
 */
class SeedScenariosIT {

    private static TestServices services;
    private static TemporalCli temporal;

    @BeforeAll
    static void services() {
        services = TestServices.get();
        temporal = new TemporalCli(services);
    }

    @Test
    void zeroDowntimeOrdersStreamsSwitchesAndSoaksWhileALiveApplicationWritesLosingNothing() throws Exception {
        LiveOrders dbs = new LiveOrders(services, "seed_zd", 20_000);
        ScenarioRun run = ScenarioRun.of(temporal, "orders-zero-downtime",
                Map.of("PT30M", "PT6S", "PT5M", "PT2S", "PT24H", "PT3S"));
        LiveClient client = dbs.client("orders.write_v2", 20, 7);
        Thread writer = new Thread(client, "live-client");
        try (WebhookReceiver channel = new WebhookReceiver();
             RunningWorker ignored = RunningWorker.start(services,
                     Map.of("legacy", dbs.legacyUrl, "target", dbs.targetUrl),
                     Map.of("runbooks.webhooks.ops-channel.url", channel.url()))) {
            writer.start();
            client.awaitAcknowledged(0, 50, Duration.ofSeconds(30));
            run.start();

            JsonNode atGate = run.awaitGate("go-no-go");
            assertThat(dbs.flagPercent("orders.read_v2")).isEqualTo(10);
            assertThat(atGate.at("/evidence")).as("live shadow validation plus three re-validations in the soak")
                    .hasSize(4).allSatisfy(report -> assertThat(report.at("/passed").asBoolean()).isTrue());
            assertThat(channel.messages()).containsExactly("orders: 10% of reads now served by orders_v2");
            assertThat(client.lastSide()).isEqualTo(LiveClient.SOURCE);
            assertThat(dbs.missingOn(client, LiveClient.SOURCE)).isEmpty();

            run.approve("go-no-go", "orders-owner");
            run.approve("go-no-go", "dba-oncall");
            run.awaitGate("decommission-gate");
            client.awaitWritingTo(LiveClient.TARGET, Duration.ofSeconds(10));
            client.awaitAcknowledged(client.acknowledged(), 50, Duration.ofSeconds(30));
            assertThat(dbs.flagPercent("orders.read_v2")).isEqualTo(100);
            assertThat(dbs.flagPercent("orders.write_v2")).isEqualTo(100);
            assertThat(channel.messages()).hasSize(2);
            JsonNode soaking = Awaits.status(temporal, run.statusCommand(),
                    s -> s.at("/streams").toString().contains("\"switch-reverse\""));
            System.out.println("zero-downtime: streams at the decommission gate: " + soaking.at("/streams"));

            // The client stops only so both sides can be compared while the reverse stream still runs.
            dbs.stopAndAwaitEqual(client, writer, LiveClient.TARGET);

            run.approve("decommission-gate", "dba-oncall");
            JsonNode result = run.result();

            assertThat(result.at("/result/outcome").asText()).isEqualTo("COMPLETED");
            assertThat(result.toString()).as("completing stops the reverse stream").contains("switch-reverse");
            assertThat(dbs.slots()).as("no slot left behind").isZero();
            assertThat(channel.received).allSatisfy(body ->
                    assertThat(body.at("/idempotencyKey").asText()).startsWith("orders-zero-downtime/"));
            System.out.printf("zero-downtime: %d writes acknowledged, %d refused by the freeze and retried, longest"
                    + " stall %d ms%n", client.acknowledged(), client.refusals(), client.longestStall().toMillis());
            Histories.replayAndKeep(temporal, services, "zero-downtime", run.workflowId(), List.of("sync",
                    "shadow-validate", "canary", "go-no-go", "cutover", "soak", "decommission",
                    "stream/orders-stream", "stream/switch-reverse"));
        } finally {
            client.stop();
            writer.join(Duration.ofSeconds(30));
        }
    }

    @Test
    void wideTableToStarSwapsTheViewAtCutoverAndBackOnRollback() throws Exception {
        String warehouse = services.freshDatabase("seed_star");
        createWideSales(warehouse, 30_000);
        ScenarioRun run = ScenarioRun.of(temporal, "sales-wide-to-star", Map.of());
        try (RunningWorker ignored = RunningWorker.start(services, Map.of("warehouse", warehouse), Map.of())) {
            run.start();
            run.awaitGate("go-no-go");
            assertThat(scalar(warehouse, "select count(*) from dim_customer")).isEqualTo("500");
            assertThat(scalar(warehouse, "select count(*) from dim_product")).isEqualTo("200");
            assertThat(scalar(warehouse, "select count(*) from fact_sales")).isEqualTo("30000");
            assertThat(scalar(warehouse, "select pg_get_viewdef('sales')")).doesNotContain("fact_sales");

            run.approve("go-no-go", "analytics-owner");
            JsonNode afterCutover = run.awaitGate("keep-star");
            assertThat(scalar(warehouse, "select pg_get_viewdef('sales')")).contains("fact_sales");
            assertThat(scalar(warehouse, "select count(*) from sales")).isEqualTo("30000");
            assertThat(afterCutover.at("/evidence")).hasSize(2)
                    .allSatisfy(report -> assertThat(report.at("/passed").asBoolean()).isTrue());

            run.reject("keep-star", "analytics-owner", "dashboards disagree");
            JsonNode result = run.result();

            assertThat(result.at("/result/outcome").asText()).isEqualTo("ROLLED_BACK");
            assertThat(scalar(warehouse, "select pg_get_viewdef('sales')")).contains("sales_wide")
                    .doesNotContain("fact_sales");
            assertThat(scalar(warehouse, "select count(*) from fact_sales")).isEqualTo("0");
            assertThat(scalar(warehouse, "select count(*) from dim_customer")).isEqualTo("0");
            assertThat(scalar(warehouse, "select count(*) from sales")).isEqualTo("30000");
            Histories.replayAndKeep(temporal, services, "star", run.workflowId(),
                    List.of("build-star", "check-star", "go-no-go", "cutover", "keep-star"));
        }
    }

    @Test
    void rejectingTheOrdersDomainRollsBackOrdersAndKeepsCustomers() throws Exception {
        OrdersDatabases dbs = new OrdersDatabases(services, "seed_domains", 15_000);
        execute(dbs.legacyUrl, "create table customers (id bigint primary key, name text not null, email text)");
        execute(dbs.legacyUrl, "insert into customers select g, 'customer ' || g, 'c' || g || '@example.org'"
                + " from generate_series(1, 977) g");
        execute(dbs.targetUrl, "create table customers_v2 (id bigint primary key, name text not null, email text)");
        ScenarioRun run = ScenarioRun.of(temporal, "customers-then-orders", Map.of());
        try (RunningWorker ignored = RunningWorker.start(services, dbs.legacyUrl, dbs.targetUrl)) {
            run.start();
            run.awaitGate("customers-go");
            run.approve("customers-go", "crm-owner");
            run.awaitGate("orders-go");
            assertThat(dbs.targetRows()).isEqualTo(15_000);
            assertThat(dbs.flagPercent("orders.read_v2")).isEqualTo(25);

            run.reject("orders-go", "orders-owner", "order totals drift on the canary");
            JsonNode result = run.result();

            assertThat(result.at("/result/outcome").asText()).isEqualTo("PARTIALLY_ROLLED_BACK");
            assertThat(result.at("/result/rolledBackDomains/0").asText()).isEqualTo("orders");
            assertThat(dbs.targetRows()).isZero();
            assertThat(dbs.flagPercent("orders.read_v2")).isNull();
            assertThat(scalar(dbs.targetUrl, "select count(*) from customers_v2")).isEqualTo("977");
            assertThat(dbs.flagPercent("customers.read_v2")).isEqualTo(100);
            Histories.replayAndKeep(temporal, services, "domains", run.workflowId(), List.of(
                    "customers-backfill", "customers-cutover", "orders-backfill", "orders-cutover"));
        }
    }

    /** The wide table, the empty star, and the view readers use, as a schema migration would leave them. */
    private static void createWideSales(String url, int rows) throws SQLException {
        execute(url, "create table sales_wide (order_id bigint primary key, ordered_at timestamptz not null,"
                + " customer_id bigint not null, customer_name text not null, customer_country text not null,"
                + " product_id bigint not null, product_name text not null, product_category text not null,"
                + " quantity integer not null, unit_price numeric(10,2) not null)");
        execute(url, "insert into sales_wide select g, timestamptz '2025-01-01 00:00:00+00' + g * interval '7 minutes',"
                + " g % 500, 'customer ' || (g % 500), (array['PT','DE','BR','JP'])[g % 500 % 4 + 1],"
                + " g % 200, 'product ' || (g % 200), 'category ' || (g % 200 % 9), 1 + g % 5, (g % 200) + 0.99"
                + " from generate_series(1, " + rows + ") g");
        execute(url, "create table dim_customer (customer_id bigint primary key, name text not null, country text not null)");
        execute(url, "create table dim_product (product_id bigint primary key, name text not null, category text not null)");
        execute(url, "create table fact_sales (order_id bigint primary key, ordered_at timestamptz not null,"
                + " customer_id bigint not null, product_id bigint not null, quantity integer not null,"
                + " unit_price numeric(10,2) not null)");
        execute(url, "create view sales as select order_id, ordered_at, customer_id, customer_name, customer_country,"
                + " product_id, product_name, product_category, quantity, unit_price from sales_wide");
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = services.connect(url); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static String scalar(String url, String sql) throws SQLException {
        try (Connection c = services.connect(url); Statement st = c.createStatement();
             var rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
