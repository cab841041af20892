package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.runbooks.cutover.LiveClient;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A switch whose freeze is named three ways at once (it-runbooks/orders-freeze-mechanisms.yaml): the trigger on
 * orders, the flag orders-frozen and SQL that revokes the role freeze_probe's writes on orders. While a live client
 * writes, a watcher reads the source every few milliseconds: during the switch the flag is set and the role may not
 * insert; after the thaw the grant is back and the flag restored, and no acknowledged write is lost.
 */
class FreezeMechanismsIT {

    private static final ItRunbook RUNBOOK = new ItRunbook("orders-freeze-mechanisms",
            "orders-freeze-mechanisms.yaml");
    private static final String FREEZE_FLAG = "orders-frozen";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theFlagTheSqlAndTheTriggerAllHoldDuringTheSwitchAndLiftAtTheThaw() throws Exception {
        TestServices services = TestServices.get();
        TemporalCli temporal = new TemporalCli(services);
        LiveOrders dbs = new LiveOrders(services, "freeze_mechanisms", 5_000);
        try (Connection c = services.connect(dbs.legacyUrl); Statement st = c.createStatement()) {
            st.execute("do $$ begin if not exists (select from pg_roles where rolname = 'freeze_probe') then"
                    + " create role freeze_probe; end if; end $$");
            st.execute("grant insert, update, delete on orders to freeze_probe");
        }
        LiveClient client = dbs.client(50, 31);
        Thread writer = new Thread(client, "live-client");
        AtomicBoolean watching = new AtomicBoolean(true);
        AtomicBoolean sawRevoked = new AtomicBoolean();
        AtomicBoolean sawFlagSet = new AtomicBoolean();
        AtomicReference<Throwable> watchFailed = new AtomicReference<>();
        Thread watcher = new Thread(() -> {
            try (Connection c = services.connect(dbs.legacyUrl)) {
                while (watching.get()) {
                    if (!mayInsert(c)) {
                        sawRevoked.set(true);
                    }
                    if (freezeFlagSet(c)) {
                        sawFlagSet.set(true);
                    }
                    Thread.onSpinWait();
                }
            } catch (Throwable e) {
                watchFailed.set(e);
            }
        }, "freeze-watcher");
        try (RunningWorker ignored = RunningWorker.start(services, dbs.legacyUrl, dbs.targetUrl)) {
            writer.start();
            client.awaitAcknowledged(0, 50, Duration.ofSeconds(30));
            temporal.run(RUNBOOK.start());
            Awaits.status(temporal, RUNBOOK.status(), s -> s.at("/gate/gate").asText().equals("go-no-go"));
            try (Connection c = services.connect(dbs.legacyUrl)) {
                assertThat(mayInsert(c)).as("the role writes before the switch").isTrue();
            }
            assertThat(dbs.flagPercent(FREEZE_FLAG)).as("the freeze flag before the switch").isNull();

            watcher.start();
            temporal.run(RUNBOOK.approve("go-no-go", "in step"));
            JsonNode soaking = Awaits.status(temporal, RUNBOOK.status(), s -> s.at("/gate/gate").asText().equals("soak-ok"));
            client.awaitWritingTo(LiveClient.TARGET, Duration.ofSeconds(10));
            watching.set(false);
            watcher.join(Duration.ofSeconds(10));
            assertThat(watchFailed.get()).isNull();
            assertThat(sawRevoked).as("the role could not insert during the switch").isTrue();
            assertThat(sawFlagSet).as("the freeze flag was set during the switch").isTrue();
            try (Connection c = services.connect(dbs.legacyUrl)) {
                assertThat(mayInsert(c)).as("the grant is back after the thaw").isTrue();
            }
            assertThat(dbs.flagPercent(FREEZE_FLAG)).as("the freeze flag restored: never set before, unset again")
                    .isNull();
            JsonNode freeze = soaking.at("/lastSwitch");
            assertThat(freeze.at("/connection").asText()).isEqualTo("legacy");
            System.out.println("freeze mechanisms: the switch's freeze: " + freeze);

            client.awaitAcknowledged(client.acknowledged(), 50, Duration.ofSeconds(30));
            dbs.stopAndAwaitEqual(client, writer, LiveClient.TARGET);
            assertThat(client.failure()).as("the live client's writes").isNull();
            temporal.run(RUNBOOK.approve("soak-ok", "soaked"));
            JsonNode result = JSON.readTree(temporal.run(RUNBOOK.result())).at("/result");
            assertThat(result.at("/outcome").asText()).isEqualTo("COMPLETED");
            assertThat(dbs.slots()).as("no slot left behind").isZero();
            System.out.printf("freeze mechanisms: %d writes acknowledged, %d refused by a freeze and retried,"
                    + " longest stall %d ms%n", client.acknowledged(), client.refusals(),
                    client.longestStall().toMillis());
            Histories.replayAndKeep(temporal, services, "v13-freeze-mechanisms", RUNBOOK.id(), List.of("sync", "go-no-go",
                    "switch", "soak", "stream/orders-stream", "stream/switch-reverse"));
        } finally {
            watching.set(false);
            client.stop();
            writer.join(Duration.ofSeconds(30));
        }
    }

    private static boolean freezeFlagSet(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "select percent from runbook_flags where name = '" + FREEZE_FLAG + "'")) {
            return rs.next() && rs.getInt(1) == 100;
        }
    }

    private static boolean mayInsert(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select has_table_privilege('freeze_probe', 'orders', 'INSERT')")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
