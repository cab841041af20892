package org.runbooks.worker.it;

import org.runbooks.cutover.LiveClient;
import org.runbooks.flag.FlagStore;

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

/**
 * The databases runbooks/orders-live-cutover.yaml switches between, on the test server: {@code orders} on a fresh
 * source and an empty {@code orders_v2} on a fresh target, each keyed by its own sequence (so the switch must move
 * the target's past the source's, and the switch back the source's past the target's), the flag table on the
 * source, a {@link LiveClient} that reads the write flag there, and the checks a test makes without the product.
 */
public final class LiveOrders {

    public static final String FLAG = "orders-writes-v2";

    private final TestServices services;
    public final String legacyUrl;
    public final String targetUrl;

    public LiveOrders(TestServices services, String prefix, int rows) throws SQLException {
        this.services = services;
        this.legacyUrl = services.freshDatabase(prefix + "_legacy");
        this.targetUrl = services.freshDatabase(prefix + "_target");
        String columns = " (id bigserial primary key, version int not null, note varchar(200), amount numeric(12,2))";
        try (Connection c = services.connect(legacyUrl); Statement st = c.createStatement()) {
            st.execute("create table orders" + columns);
            st.execute("insert into orders (version, note, amount) select 1, 'order ' || g, (g * 37 % 100000) / 100.0"
                    + " from generate_series(1, " + rows + ") g");
            c.setAutoCommit(false);
            FlagStore.ensureTables(c);
            c.commit();
        }
        try (Connection c = services.connect(targetUrl); Statement st = c.createStatement()) {
            st.execute("create table orders_v2" + columns);
        }
    }

    /** A client writing {@code writesPerSecond} where {@link #FLAG} points, its flag cached for 1 s. */
    public LiveClient client(int writesPerSecond, long seed) {
        return client(FLAG, writesPerSecond, seed);
    }

    /** A client writing {@code writesPerSecond} where the source's flag {@code flag} points, cached for 1 s. */
    public LiveClient client(String flag, int writesPerSecond, long seed) {
        Map<String, String> urls = Map.of(LiveClient.SOURCE, legacyUrl, LiveClient.TARGET, targetUrl);
        return new LiveClient(side -> {
            try {
                return services.connect(urls.get(side));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, Map.of(LiveClient.SOURCE, "orders", LiveClient.TARGET, "orders_v2"), LiveClient.SOURCE, flag,
                Duration.ofSeconds(1), writesPerSecond, seed);
    }

    /** The writes {@code client} saw acknowledged that {@code side} does not hold (see {@link LiveClient#missingOn}). */
    public List<String> missingOn(LiveClient client, String side) throws SQLException {
        try (Connection c = services.connect(side.equals(LiveClient.SOURCE) ? legacyUrl : targetUrl)) {
            return client.missingOn(side, c);
        }
    }

    /** PostgreSQL's md5 over every row's text in key order on {@code side}, leaving out {@code except}. */
    public String digest(String side, Set<Long> except) throws SQLException {
        boolean source = side.equals(LiveClient.SOURCE);
        try (Connection c = services.connect(source ? legacyUrl : targetUrl);
             PreparedStatement ps = c.prepareStatement("select md5(string_agg(t::text, '|' order by id)) from "
                     + (source ? "orders" : "orders_v2") + " t where id <> all(?)")) {
            Array ids = c.createArrayOf("bigint", except.toArray());
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /**
     * Stops {@code client} (running on {@code writer}), checks it failed no write and that every write it saw
     * acknowledged is on {@code live}, then waits (up to a minute) until both sides are equal by {@link #digest}: the
     * stream into the other side has applied everything.
     */
    public void stopAndAwaitEqual(LiveClient client, Thread writer, String live) throws Exception {
        client.stop();
        writer.join(Duration.ofSeconds(30));
        org.assertj.core.api.Assertions.assertThat(client.failure()).as("the live client's writes").isNull();
        org.assertj.core.api.Assertions.assertThat(missingOn(client, live))
                .as("every acknowledged write is on the live side").isEmpty();
        Awaits.until("the stream to bring both sides level", Duration.ofSeconds(60), Duration.ofMillis(500),
                () -> digest(LiveClient.SOURCE, Set.of()).equals(digest(LiveClient.TARGET, Set.of())),
                equal -> equal);
    }

    /** The percent of the source's flag {@code flag}, or null when it was never set. */
    public Integer flagPercent(String flag) throws SQLException {
        try (Connection c = services.connect(legacyUrl);
             PreparedStatement ps = c.prepareStatement("select percent from runbook_flags where name = ?")) {
            ps.setString(1, flag);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    /** Replication slots left in either database. */
    public int slots() throws SQLException {
        return slots(legacyUrl) + slots(targetUrl);
    }

    private int slots(String url) throws SQLException {
        try (Connection c = services.connect(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from pg_replication_slots"
                     + " where database = current_database()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Empties the target, as a migration started over would find it. */
    public void emptyTarget() throws SQLException {
        try (Connection c = services.connect(targetUrl); Statement st = c.createStatement()) {
            st.execute("truncate orders_v2");
        }
    }
}
