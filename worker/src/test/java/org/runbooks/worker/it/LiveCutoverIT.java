package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.runbooks.flag.FlagStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reversible cutover on the real dev server, worker and PostgreSQL, driven by README's commands while a live
 * client (an application that reads its write flag, cached for 1 s, and writes where it points) writes the whole
 * time: stream, backfill and catch-up, a go/no-go gate, a switch whose catch-up cannot finish (the target's table is
 * locked, so the stream cannot apply) and that aborts on its own with writes resumed on the source, the retry that
 * switches, a soak on the target with the reverse stream running, and a rollback that switches back through it.
 * Every acknowledged write is on the side live at the end, both sides are equal by PostgreSQL's md5 in key order
 * (but for the keys the application wrote after the rollback signal, which only the source holds), no replication
 * slot is left, and the stalls are printed.
 */
class LiveCutoverIT {

    static final String START = "temporal workflow start --type Runbook --task-queue runbooks"
            + " --workflow-id orders-live-cutover"
            + " --input '{\"file\":\"runbooks/orders-live-cutover.yaml\",\"startedBy\":\"alice\"}'";
    static final String STATUS = "temporal workflow query --workflow-id orders-live-cutover --name status";
    static final String APPROVE = "temporal workflow signal --workflow-id orders-live-cutover --name approve"
            + " --input '{\"gate\":\"go-no-go\",\"by\":\"dba-oncall\",\"comment\":\"in step\"}'";
    static final String RETRY = "temporal workflow signal --workflow-id orders-live-cutover --name resolveFailure"
            + " --input '{\"step\":\"switch\",\"action\":\"retry\",\"by\":\"carol\",\"reason\":\"caught up again\"}'";
    static final String ROLLBACK = "temporal workflow signal --workflow-id orders-live-cutover --name rollback"
            + " --input '{\"by\":\"carol\",\"reason\":\"errors on orders_v2\"}'";
    static final String RESULT = "temporal workflow result --workflow-id orders-live-cutover --output json";

    private static final int ROWS = 20_000;
    private static final int WRITES_PER_SECOND = 50;
    private static final String FLAG = "orders-writes-v2";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aLiveApplicationSwitchesAbortsRetriesAndSwitchesBackLosingNothing() throws Exception {
        assertThat(Files.readString(Path.of("..", "README.md"))).as("README shows these commands as run here")
                .contains(START, RETRY, ROLLBACK);
        TestServices services = TestServices.get();
        TemporalCli temporal = new TemporalCli(services);
        String legacyUrl = services.freshDatabase("live_cutover_legacy");
        String targetUrl = services.freshDatabase("live_cutover_target");
        createTables(services, legacyUrl, targetUrl);
        Map<String, String> urls = Map.of(LiveClient.SOURCE, legacyUrl, LiveClient.TARGET, targetUrl);
        LiveClient client = new LiveClient(side -> {
            try {
                return services.connect(urls.get(side));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, Map.of(LiveClient.SOURCE, "orders", LiveClient.TARGET, "orders_v2"), LiveClient.SOURCE, FLAG,
                Duration.ofSeconds(1), WRITES_PER_SECOND, 16);
        Thread writer = new Thread(client, "live-client");
        try (RunningWorker ignored = RunningWorker.start(services, legacyUrl, targetUrl)) {
            writer.start();
            client.awaitAcknowledged(0, 50, Duration.ofSeconds(30));
            temporal.run(START);
            Awaits.status(temporal, STATUS, s -> s.at("/gate/gate").asText().equals("go-no-go"));
            assertThat(missingOn(client, services, LiveClient.SOURCE, legacyUrl)).isEmpty();

            Duration beforeAbort = client.takeLongestStall();
            long abortedAt;
            try (Connection lock = services.connect(targetUrl)) {
                // The stream cannot apply into a table another transaction holds: its catch-up cannot finish.
                lock.setAutoCommit(false);
                try (Statement st = lock.createStatement()) {
                    st.execute("lock table orders_v2 in share mode");
                }
                temporal.run(APPROVE);
                JsonNode failed = Awaits.status(temporal, STATUS, s -> s.at("/state").asText().equals("STEP_FAILED"));
                abortedAt = client.acknowledged();
                assertThat(failed.toString()).as("status says why").contains("aborted on its own")
                        .contains("nothing was switched");
                System.out.println("live cutover: the aborted switch: " + failed.at("/failure"));
                client.awaitAcknowledged(abortedAt, 50, Duration.ofSeconds(30));
                assertThat(client.lastSide()).as("writes resumed on the source").isEqualTo(LiveClient.SOURCE);
                assertThat(missingOn(client, services, LiveClient.SOURCE, legacyUrl)).isEmpty();
                lock.rollback();
            }
            Duration abortStall = client.takeLongestStall();

            temporal.run(RETRY);
            Awaits.status(temporal, STATUS, s -> s.at("/gate/gate").asText().equals("soak-ok"));
            client.awaitWritingTo(LiveClient.TARGET, Duration.ofSeconds(10));
            long onTarget = client.acknowledged();
            client.awaitAcknowledged(onTarget, 100, Duration.ofSeconds(30));
            Duration switchStall = client.takeLongestStall();
            assertThat(missingOn(client, services, LiveClient.TARGET, targetUrl)).isEmpty();
            JsonNode soaking = Awaits.status(temporal, STATUS, s -> s.at("/streams").toString()
                    .contains("\"switch-reverse\""));
            System.out.println("live cutover: streams while soaking: " + soaking.at("/streams"));

            long rollbackAt = client.acknowledged();
            long signalled = System.nanoTime();
            temporal.run(ROLLBACK);
            client.awaitWritingTo(LiveClient.SOURCE, Duration.ofSeconds(30));
            long backOnSourceMillis = (System.nanoTime() - signalled) / 1_000_000L;
            JsonNode result = JSON.readTree(temporal.run(RESULT)).at("/result");
            assertThat(result.at("/outcome").asText()).isEqualTo("ROLLED_BACK");
            JsonNode switchBack = result.at("/compensations/0");
            assertThat(switchBack.at("/stepId").asText()).isEqualTo("switch");
            assertThat(switchBack.at("/detail").asText()).contains("switched back");
            client.awaitAcknowledged(client.acknowledged(), 100, Duration.ofSeconds(30));
            Duration rollbackStall = client.takeLongestStall();
            client.stop();
            writer.join(Duration.ofSeconds(30));
            assertThat(client.failure()).as("the live client's writes").isNull();

            assertThat(missingOn(client, services, LiveClient.SOURCE, legacyUrl))
                    .as("every acknowledged write is on the source, live again").isEmpty();
            Set<Long> sinceRollback = client.idsWrittenAfter(rollbackAt);
            assertThat(digest(services, legacyUrl, "orders", sinceRollback))
                    .as("both sides equal but for the %d keys written after the rollback signal",
                            sinceRollback.size())
                    .isEqualTo(digest(services, targetUrl, "orders_v2", sinceRollback));
            assertThat(slots(services, legacyUrl) + slots(services, targetUrl)).as("no slot left behind").isZero();
            System.out.printf("live cutover: %d writes acknowledged, %d refused by a freeze and retried; longest"
                            + " stall before the switch %d ms, at the aborted switch %d ms, at the switch %d ms, at the"
                            + " switch back %d ms; rollback signal to writes on the source %d ms; switch back: %s%n",
                    client.acknowledged(), client.refusals(), beforeAbort.toMillis(), abortStall.toMillis(),
                    switchStall.toMillis(), rollbackStall.toMillis(), backOnSourceMillis,
                    switchBack.at("/detail").asText());
            Histories.replayAndKeep(temporal, services, "v9-cutover", "orders-live-cutover", List.of("sync",
                    "go-no-go", "switch", "soak", "stream/orders-stream", "stream/switch-reverse"));
        } finally {
            client.stop();
            writer.join(Duration.ofSeconds(30));
        }
    }

    /** {@code orders} on the source with {@value #ROWS} rows, an empty {@code orders_v2}, each keyed by its own sequence. */
    private static void createTables(TestServices services, String legacyUrl, String targetUrl) throws SQLException {
        String columns = " (id bigserial primary key, version int not null, note varchar(200), amount numeric(12,2))";
        try (Connection c = services.connect(legacyUrl); Statement st = c.createStatement()) {
            st.execute("create table orders" + columns);
            st.execute("insert into orders (version, note, amount) select 1, 'order ' || g, (g * 37 % 100000) / 100.0"
                    + " from generate_series(1, " + ROWS + ") g");
            c.setAutoCommit(false);
            FlagStore.ensureTables(c);
            c.commit();
        }
        try (Connection c = services.connect(targetUrl); Statement st = c.createStatement()) {
            st.execute("create table orders_v2" + columns);
        }
    }

    private static List<String> missingOn(LiveClient client, TestServices services, String side, String url)
            throws SQLException {
        try (Connection c = services.connect(url)) {
            return client.missingOn(side, c);
        }
    }

    /** PostgreSQL's md5 over every row's text in key order, leaving out {@code except}. */
    private static String digest(TestServices services, String url, String table, Set<Long> except)
            throws SQLException {
        try (Connection c = services.connect(url);
             PreparedStatement ps = c.prepareStatement("select md5(string_agg(t::text, '|' order by id)) from "
                     + table + " t where id <> all(?)")) {
            Array ids = c.createArrayOf("bigint", except.toArray());
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static int slots(TestServices services, String url) throws SQLException {
        try (Connection c = services.connect(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from pg_replication_slots"
                     + " where database = current_database()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
