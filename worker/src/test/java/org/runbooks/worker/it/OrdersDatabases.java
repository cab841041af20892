package org.runbooks.worker.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A legacy database with an {@code orders} table and a target with an empty {@code orders_v2}, as the
 * orders-to-v2 runbook expects, plus the checks a test makes on them without going through the product.
 */
public final class OrdersDatabases {

    private final TestServices services;
    public final String legacyUrl;
    public final String targetUrl;

    public OrdersDatabases(TestServices services, String prefix, int rows) throws SQLException {
        this(services, prefix, rows, services.freshDatabase(prefix + "_target"));
    }

    /**
     * A fresh legacy database on the test server and an existing, empty target database at {@code targetUrl} (such
     * as one on a server the test started itself, reachable with the test server's user).
     */
    public OrdersDatabases(TestServices services, String prefix, int rows, String targetUrl) throws SQLException {
        this.services = services;
        this.legacyUrl = services.freshDatabase(prefix + "_legacy");
        this.targetUrl = targetUrl;
        try (Connection legacy = services.connect(legacyUrl); Connection target = services.connect(targetUrl)) {
            create(legacy, target, "(id bigint primary key, customer_id bigint not null, amount numeric(12,2) not null,"
                    + " status varchar(20) not null, created_at timestamptz not null, note text)",
                    "select g, g % 977, (g * 37 % 100000) / 100.0,"
                    + " case when g % 11 = 0 then 'refunded' else 'paid' end,"
                    + " timestamptz '2024-01-01 00:00:00+00' + g * interval '61 seconds',"
                    + " case when g % 5 = 0 then null else 'order ' || g || ' ünïcödé' end"
                    + " from generate_series(1, " + rows + ") g");
        }
    }

    /**
     * Creates {@code orders} with {@code columns} on the legacy side, filled by the {@code fill} query, and an empty
     * {@code orders_v2} of the same columns on the target: the same shapes on PostgreSQL and MariaDB, in each one's
     * SQL.
     */
    public static void create(Connection legacy, Connection target, String columns, String fill) throws SQLException {
        try (Statement st = legacy.createStatement()) {
            st.execute("create table orders " + columns);
            st.execute("insert into orders " + fill);
        }
        try (Statement st = target.createStatement()) {
            st.execute("create table orders_v2 " + columns);
        }
    }

    /** An md5 over every row's text form in key order, computed by PostgreSQL itself. */
    public String legacyChecksum() throws SQLException {
        return scalar(legacyUrl, "select md5(string_agg(t::text, '|' order by id)) from orders t");
    }

    public String targetChecksum() throws SQLException {
        return scalar(targetUrl, "select md5(string_agg(t::text, '|' order by id)) from orders_v2 t");
    }

    public long targetRows() throws SQLException {
        return Long.parseLong(scalar(targetUrl, "select count(*) from orders_v2"));
    }

    /** The flag's percent, or null when the flag row does not exist (or the table was never created). */
    public Integer flagPercent(String flag) throws SQLException {
        String exists = scalar(targetUrl, "select to_regclass('runbook_flags')::text");
        if (exists == null) {
            return null;
        }
        String value = scalar(targetUrl, "select percent::text from runbook_flags where name = '" + flag + "'");
        return value == null ? null : Integer.valueOf(value);
    }

    public String scalar(String url, String sql) throws SQLException {
        try (Connection c = services.connect(url); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
