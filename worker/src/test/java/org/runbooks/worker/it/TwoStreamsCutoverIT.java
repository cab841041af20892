package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One cutover of two streams (it-runbooks/two-streams-cutover.yaml) on the real dev server, worker and PostgreSQL:
 * both tables switch in one sequence, each gets its reverse stream, rows written on both targets after the switch
 * come back to the sources with the rollback, and no slot is left.
 */
class TwoStreamsCutoverIT {

    private static final ItRunbook RUNBOOK = new ItRunbook("two-streams-cutover", "two-streams-cutover.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void twoStreamsSwitchTogetherAndSwitchBackWithTheWritesMadeOnBothTargets() throws Exception {
        TestServices services = TestServices.get();
        TemporalCli temporal = new TemporalCli(services);
        LiveOrders dbs = new LiveOrders(services, "two_streams", 2_000);
        String columns = " (id bigserial primary key, version int not null, note varchar(200), amount numeric(12,2))";
        try (Connection c = services.connect(dbs.legacyUrl); Statement st = c.createStatement()) {
            st.execute("create table items" + columns);
            st.execute("insert into items (version, note, amount) select 1, 'item ' || g, g from"
                    + " generate_series(1, 1000) g");
        }
        try (Connection c = services.connect(dbs.targetUrl); Statement st = c.createStatement()) {
            st.execute("create table items_v2" + columns);
        }
        try (RunningWorker ignored = RunningWorker.start(services, dbs.legacyUrl, dbs.targetUrl)) {
            temporal.run(RUNBOOK.start());
            JsonNode soaking = Awaits.status(temporal, RUNBOOK.status(), s -> s.at("/gate/gate").asText().equals("soak-ok"));
            JsonNode freeze = soaking.at("/lastSwitch");
            System.out.println("two streams: the switch's freeze: " + freeze);
            assertThat(freeze.at("/connection").asText()).isEqualTo("legacy");
            assertThat(freeze.at("/stages").findValuesAsText("name")).containsExactly("pre-check", "freeze",
                    "catch-up", "reverse stream", "sequences", "flip", "settle", "thaw");
            assertThat(dbs.flagPercent("shop-writes-v2")).isEqualTo(100);
            Awaits.status(temporal, RUNBOOK.status(), s -> s.at("/streams").toString().contains("switch-reverse-orders-stream")
                    && s.at("/streams").toString().contains("switch-reverse-items-stream"));

            // The application, switched, writes on both targets; the sequences were moved past the sources'.
            try (Connection c = services.connect(dbs.targetUrl); Statement st = c.createStatement()) {
                st.execute("insert into orders_v2 (version, note, amount) values (1, 'on target', 1)");
                st.execute("insert into items_v2 (version, note, amount) values (1, 'on target', 1)");
            }
            temporal.run(RUNBOOK.rollback("errors on v2"));
            JsonNode result = JSON.readTree(temporal.run(RUNBOOK.result())).at("/result");
            assertThat(result.at("/outcome").asText()).isEqualTo("ROLLED_BACK");
            JsonNode switchBack = result.at("/compensations/0");
            System.out.println("two streams: the switch back: " + switchBack);
            assertThat(switchBack.at("/detail").asText()).startsWith("switched back to legacy.orders, legacy.items:"
                    + " the reverse streams applied up to");
            assertThat(count(services, dbs.legacyUrl, "orders")).as("the order written on the target is back")
                    .isEqualTo(2_001);
            assertThat(count(services, dbs.legacyUrl, "items")).as("the item written on the target is back")
                    .isEqualTo(1_001);
            assertThat(dbs.flagPercent("shop-writes-v2")).as("the flag restored").isNull();
            Awaits.until("every slot dropped", Duration.ofSeconds(30), Duration.ofMillis(500), dbs::slots,
                    n -> n == 0);
            Histories.replayAndKeep(temporal, services, "v13-two-streams", RUNBOOK.id(), List.of("sync", "switch", "soak",
                    "stream/orders-stream", "stream/items-stream", "stream/switch-reverse-orders-stream",
                    "stream/switch-reverse-items-stream"));
        }
    }

    private static long count(TestServices services, String url, String table) throws SQLException {
        try (Connection c = services.connect(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from " + table + " where note is not null")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
