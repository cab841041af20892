package org.runbooks.worker.it.drills;

import org.runbooks.worker.it.MariaDbServices;
import org.runbooks.worker.it.OrdersDatabases;
import org.runbooks.worker.it.TestServices;
import org.runbooks.worker.it.WorkerProcess;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The source ({@code legacy}, with {@code orders} filled) and target ({@code target}, with an empty {@code orders_v2})
 * of the live-writes drill, on PostgreSQL or on MariaDB, and what the drill reads from them without going through the
 * product: digests the databases compute over the rows in key order, counts, the copy's committed chunks and the
 * stream's committed changes.
 */
public interface LiveDatabases {

    /** The database kind, as the drill's name shows it. */
    String kind();

    /** The worker's settings: {@code legacy} and {@code target} pointing here, on the test services' Temporal. */
    WorkerProcess.Settings settings();

    /** A new connection to the source, for the application's writes. */
    Connection source() throws SQLException;

    /** The DDL of the second, unstreamed table the application writes, {@code order_events}. */
    String eventsTable();

    String sourceDigest() throws SQLException;

    String targetDigest() throws SQLException;

    long sourceOrders() throws SQLException;

    long targetOrders() throws SQLException;

    long targetDistinctKeys() throws SQLException;

    /** Whether the target has a table of this name. */
    boolean onTarget(String table) throws SQLException;

    /** Replication slots the source holds for this database (MariaDB has none: a binlog position is read, not held). */
    long slots() throws SQLException;

    /** Chunks the copy has committed (0 before its bookkeeping table exists). */
    default long chunks() throws SQLException {
        return onTarget("runbook_copy_chunks") ? Long.parseLong(target("select count(*) from runbook_copy_chunks")) : 0;
    }

    /** Changes the stream has committed on the target, in the transactions of the rows (0 before it has a row). */
    default long applied() throws SQLException {
        return onTarget("runbook_stream_positions") ? Long.parseLong(target(
                "select coalesce(sum(changes_applied), 0) from runbook_stream_positions")) : 0;
    }

    /** The first value of a query on the target. */
    String target(String sql) throws SQLException;

    /** PostgreSQL: {@link OrdersDatabases} on the shared test server, md5 over every row's text form in key order. */
    static LiveDatabases postgres(TestServices services, String prefix, int rows) throws SQLException {
        return postgres(services, new OrdersDatabases(services, prefix, rows));
    }

    /** PostgreSQL over databases a test made already. */
    static LiveDatabases postgres(TestServices services, OrdersDatabases dbs) {
        return new LiveDatabases() {
            @Override
            public String kind() {
                return "PostgreSQL";
            }

            @Override
            public WorkerProcess.Settings settings() {
                return WorkerProcess.Settings.of(services, dbs.legacyUrl, dbs.targetUrl);
            }

            @Override
            public Connection source() throws SQLException {
                return services.connect(dbs.legacyUrl);
            }

            @Override
            public String eventsTable() {
                return "create table order_events (id bigserial primary key, order_id bigint not null,"
                        + " kind varchar(20) not null, at timestamptz not null default now())";
            }

            @Override
            public String sourceDigest() throws SQLException {
                return dbs.legacyChecksum();
            }

            @Override
            public String targetDigest() throws SQLException {
                return dbs.targetChecksum();
            }

            @Override
            public long sourceOrders() throws SQLException {
                return Long.parseLong(dbs.scalar(dbs.legacyUrl, "select count(*) from orders"));
            }

            @Override
            public long targetOrders() throws SQLException {
                return dbs.targetRows();
            }

            @Override
            public long targetDistinctKeys() throws SQLException {
                return Long.parseLong(target("select count(distinct id) from orders_v2"));
            }

            @Override
            public boolean onTarget(String table) throws SQLException {
                return target("select to_regclass('" + table + "')::text") != null;
            }

            @Override
            public long slots() throws SQLException {
                return Long.parseLong(dbs.scalar(dbs.legacyUrl,
                        "select count(*) from pg_replication_slots where database = current_database()"));
            }

            @Override
            public String target(String sql) throws SQLException {
                return dbs.scalar(dbs.targetUrl, sql);
            }
        };
    }

    /**
     * MariaDB to MariaDB on the server {@code scripts/services.sh} starts with {@code RUNBOOKS_WITH_MARIADB=1} (a ROW
     * binlog with full row images). The digest is an md5 over per-row md5s in key order, in blocks of 100,000 keys so
     * that no GROUP_CONCAT outgrows {@code max_allowed_packet}.
     */
    static LiveDatabases mariaDb(TestServices services, String prefix, int rows) throws SQLException {
        MariaDbServices maria = MariaDbServices.get();
        String source = maria.freshDatabase(prefix + "_legacy");
        String target = maria.freshDatabase(prefix + "_target");
        try (Connection legacy = maria.connect(source); Connection empty = maria.connect(target)) {
            OrdersDatabases.create(legacy, empty, "(id bigint primary key, customer_id bigint not null,"
                    + " amount decimal(12,2) not null, status varchar(20) not null, created_at datetime(6) not null,"
                    + " note mediumtext)", "select seq, seq % 977, (seq * 37 % 100000) / 100.0,"
                    + " if(seq % 11 = 0, 'refunded', 'paid'),"
                    + " timestamp '2024-01-01 00:00:00' + interval seq * 61 second,"
                    + " if(seq % 5 = 0, null, concat('order ', seq, ' ünïcödé'))"
                    + " from (select cast(seq as signed) seq from seq_1_to_" + rows + ") s");
        }
        return new LiveDatabases() {
            @Override
            public String kind() {
                return "MariaDB";
            }

            @Override
            public WorkerProcess.Settings settings() {
                Map<String, String> properties = new LinkedHashMap<>();
                for (var connection : Map.of("legacy", source, "target", target).entrySet()) {
                    maria.connection(connection.getKey(), connection.getValue())
                            .forEach((name, value) -> properties.put(name, String.valueOf(value)));
                }
                return new WorkerProcess.Settings(services.temporalAddress(), Map.of(), services.pgUser(),
                        services.pgPassword(), properties);
            }

            @Override
            public Connection source() throws SQLException {
                return maria.connect(source);
            }

            @Override
            public String eventsTable() {
                return "create table order_events (id bigint auto_increment primary key, order_id bigint not null,"
                        + " kind varchar(20) not null, at datetime(6) not null default current_timestamp(6))";
            }

            @Override
            public String sourceDigest() throws SQLException {
                return query(source, digest("orders"));
            }

            @Override
            public String targetDigest() throws SQLException {
                return query(target, digest("orders_v2"));
            }

            @Override
            public long sourceOrders() throws SQLException {
                return Long.parseLong(query(source, "select count(*) from orders"));
            }

            @Override
            public long targetOrders() throws SQLException {
                return Long.parseLong(target("select count(*) from orders_v2"));
            }

            @Override
            public long targetDistinctKeys() throws SQLException {
                return Long.parseLong(target("select count(distinct id) from orders_v2"));
            }

            @Override
            public boolean onTarget(String table) throws SQLException {
                return !"0".equals(target("select count(*) from information_schema.tables"
                        + " where table_schema = database() and table_name = '" + table + "'"));
            }

            @Override
            public long slots() {
                return 0;
            }

            @Override
            public String target(String sql) throws SQLException {
                return query(target, sql);
            }

            private String query(String url, String sql) throws SQLException {
                try (Connection c = maria.connect(url); Statement st = c.createStatement()) {
                    st.execute("set session group_concat_max_len = @@max_allowed_packet");
                    try (ResultSet rs = st.executeQuery(sql)) {
                        return rs.next() ? rs.getString(1) : null;
                    }
                }
            }
        };
    }

    private static String digest(String table) {
        return "select md5(group_concat(h order by b separator '')) from (select id div 100000 b,"
                + " md5(group_concat(md5(concat_ws('|', quote(id), quote(customer_id), quote(amount), quote(status),"
                + " quote(created_at), quote(note))) order by id separator '')) h from " + table + " group by 1) x";
    }
}
