package org.runbooks.worker.demo;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Gives every runbook in runbooks/ what it starts from, on the demo's PostgreSQL: databases {@code legacy},
 * {@code target} and {@code warehouse}; on legacy, {@code orders} ({@code runbooks.demo.seed-rows} rows) and
 * {@code customers}; on target, the empty {@code orders_v2} and {@code customers_v2} the runbooks copy into; on
 * warehouse, {@code sales_wide}, the empty star tables and the view {@code sales}. A table that exists is left as it
 * is, so a demo restarted after a cutover keeps its state.
 */
@Singleton
public class DemoSeed {

    private static final Logger log = LoggerFactory.getLogger(DemoSeed.class);
    private static final String ORDERS = "(id bigint primary key, customer_id bigint not null,"
            + " amount numeric(12,2) not null, status varchar(20) not null, created_at timestamp not null,"
            + " note varchar(200))";
    private static final String CUSTOMERS = "(id bigint primary key, name text not null, email text)";

    private final int seedRows;

    public DemoSeed(@Value("${runbooks.demo.seed-rows}") int seedRows) {
        this.seedRows = seedRows;
    }

    /** Creates what is missing, through {@code server}'s {@code postgres} database. */
    void seed(DataSource server) throws SQLException {
        try (Connection admin = server.getConnection()) {
            for (String database : List.of("legacy", "target", "warehouse")) {
                if (!holds(admin, "select exists (select 1 from pg_database where datname = '" + database + "')")) {
                    execute(admin, "create database " + database);
                }
            }
            String url = admin.getMetaData().getURL();
            String base = url.substring(0, url.lastIndexOf('/') + 1);
            String user = admin.getMetaData().getUserName();
            try (Connection legacy = java.sql.DriverManager.getConnection(base + "legacy", user, "");
                 Connection target = java.sql.DriverManager.getConnection(base + "target", user, "");
                 Connection warehouse = java.sql.DriverManager.getConnection(base + "warehouse", user, "")) {
                legacy(legacy);
                target(target);
                warehouse(warehouse);
            }
        }
    }

    private void legacy(Connection c) throws SQLException {
        if (create(c, "orders", "create table orders " + ORDERS)) {
            execute(c, "insert into orders select g, g % 977, (g * 37 % 100000) / 100.0,"
                    + " case when g % 11 = 0 then 'refunded' else 'paid' end,"
                    + " timestamp '2024-01-01 00:00:00' + g * interval '61 seconds',"
                    + " case when g % 5 = 0 then null else 'order ' || g end"
                    + " from generate_series(1, " + seedRows + ") g");
            log.info("demo: filled legacy orders with {} rows", seedRows);
        }
        if (create(c, "customers", "create table customers " + CUSTOMERS)) {
            execute(c, "insert into customers select g, 'customer ' || g, 'c' || g || '@example.org'"
                    + " from generate_series(0, 976) g");
        }
    }

    private static void target(Connection c) throws SQLException {
        create(c, "orders_v2", "create table orders_v2 " + ORDERS);
        create(c, "customers_v2", "create table customers_v2 " + CUSTOMERS);
    }

    private static void warehouse(Connection c) throws SQLException {
        if (create(c, "sales_wide", "create table sales_wide (order_id bigint primary key,"
                + " ordered_at timestamptz not null, customer_id bigint not null, customer_name text not null,"
                + " customer_country text not null, product_id bigint not null, product_name text not null,"
                + " product_category text not null, quantity integer not null, unit_price numeric(10,2) not null)")) {
            execute(c, "insert into sales_wide select g,"
                    + " timestamptz '2025-01-01 00:00:00+00' + g * interval '7 minutes',"
                    + " g % 500, 'customer ' || (g % 500), (array['PT','DE','BR','JP'])[g % 500 % 4 + 1],"
                    + " g % 200, 'product ' || (g % 200), 'category ' || (g % 200 % 9), 1 + g % 5, (g % 200) + 0.99"
                    + " from generate_series(1, 30000) g");
        }
        create(c, "dim_customer",
                "create table dim_customer (customer_id bigint primary key, name text not null, country text not null)");
        create(c, "dim_product",
                "create table dim_product (product_id bigint primary key, name text not null, category text not null)");
        create(c, "fact_sales", "create table fact_sales (order_id bigint primary key,"
                + " ordered_at timestamptz not null, customer_id bigint not null, product_id bigint not null,"
                + " quantity integer not null, unit_price numeric(10,2) not null)");
        create(c, "sales", "create view sales as select order_id, ordered_at, customer_id, customer_name,"
                + " customer_country, product_id, product_name, product_category, quantity, unit_price"
                + " from sales_wide");
    }

    /** Runs {@code ddl} when {@code table} does not exist; true when it did not. */
    private static boolean create(Connection c, String table, String ddl) throws SQLException {
        if (holds(c, "select to_regclass('" + table + "') is not null")) {
            return false;
        }
        execute(c, ddl);
        log.info("demo: created {} on {}", table, c.getCatalog());
        return true;
    }

    /** The boolean that {@code sql} selects. */
    private static boolean holds(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); var rs = st.executeQuery(sql)) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
