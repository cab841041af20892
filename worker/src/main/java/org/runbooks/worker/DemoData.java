package org.runbooks.worker;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.inject.Singleton;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Gives the demo something to migrate: on the embedded H2 connections {@code legacy} and {@code target} only, it
 * creates {@code orders} (filled with {@code runbooks.demo.seed-rows} rows) and an empty {@code orders_v2} when they
 * do not exist. It never touches a connection that is not H2.
 */
@Singleton
@Requires(property = "runbooks.demo.seed-rows")
@Requires(notEnv = Environment.CLI)
public class DemoData implements ApplicationEventListener<StartupEvent> {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    static final String ORDERS_COLUMNS = "(id bigint primary key, customer_id bigint not null,"
            + " amount numeric(12,2) not null, status varchar(20) not null, created_at timestamp not null,"
            + " note varchar(200))";

    private final ConnectionRegistry connections;
    private final int seedRows;
    private final ConnectionProperties.Lookup urls;

    public DemoData(ConnectionRegistry connections, @Value("${runbooks.demo.seed-rows}") int seedRows,
                    ConnectionProperties.Lookup urls) {
        this.connections = connections;
        this.seedRows = seedRows;
        this.urls = urls;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        if (!urls.isH2("legacy") || !urls.isH2("target")) {
            return;
        }
        try (Connection legacy = connections.open("legacy"); Connection target = connections.open("target")) {
            if (createIfMissing(legacy, "orders")) {
                fill(legacy);
            }
            createIfMissing(target, "orders_v2");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the demo databases: " + e.getMessage(), e);
        }
    }

    private static boolean createIfMissing(Connection c, String table) throws SQLException {
        boolean exists;
        try (var rs = c.getMetaData().getTables(null, null, table, null)) {
            exists = rs.next();
        }
        if (!exists) {
            try (Statement st = c.createStatement()) {
                st.execute("create table " + table + " " + ORDERS_COLUMNS);
            }
            c.commit();
            log.info("demo: created table {}", table);
        }
        return !exists;
    }

    private void fill(Connection legacy) throws SQLException {
        Instant start = Instant.parse("2024-01-01T00:00:00Z");
        try (PreparedStatement ps = legacy.prepareStatement("insert into orders values (?, ?, ?, ?, ?, ?)")) {
            for (int id = 1; id <= seedRows; id++) {
                ps.setLong(1, id);
                ps.setLong(2, id % 977);
                ps.setBigDecimal(3, BigDecimal.valueOf(id * 37L % 100_000, 2));
                ps.setString(4, id % 11 == 0 ? "refunded" : "paid");
                ps.setTimestamp(5, Timestamp.from(start.plusSeconds(id * 61L)));
                ps.setString(6, id % 5 == 0 ? null : "order " + id);
                ps.addBatch();
                if (id % 5_000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
        legacy.commit();
        log.info("demo: filled legacy orders with {} rows", seedRows);
    }
}
