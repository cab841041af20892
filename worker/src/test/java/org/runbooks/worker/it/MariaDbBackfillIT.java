package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generic JDBC path through the real worker, a real Temporal dev server, MariaDB from Debian's packages and
 * PostgreSQL: {@code it-runbooks/mariadb-backfill.yaml} copies a MariaDB table by a single key (with {@code time(6)},
 * {@code year} and text past ASCII), one by a composite text-and-number key whose values hold quotes and backslashes,
 * and a PostgreSQL table into MariaDB in two key ranges, then validates each pair. The databases themselves compute
 * the md5s that show target == source, independently of the product's own checksums; the chunk audit shows no row
 * was written twice. Logs the MariaDB-to-MariaDB copy's rows/s.
 */
class MariaDbBackfillIT {

    private static final Logger log = LoggerFactory.getLogger(MariaDbBackfillIT.class);
    private static final int ORDERS = 100_000;
    private static final int LINES_PER_TENANT = 6_000;
    private static final List<String> TENANTS = List.of("acme", "globex", "o'brien", "back\\slash", "ünïcödé");
    private static final int EVENTS = 40_000;

    private static final String ORDER_COLUMNS = "(id bigint primary key, customer_id bigint not null,"
            + " amount decimal(12,2) not null, status varchar(20) not null, note varchar(200),"
            + " created_at datetime(6) not null, handling time(6), fiscal_year year, paid tinyint(1) not null)";
    private static final String LINE_COLUMNS = "(tenant varchar(20) not null, line_no bigint not null,"
            + " sku varchar(40) not null, qty int not null, primary key (tenant, line_no))";

    /** Each table's rows as text, cut into blocks so that no GROUP_CONCAT outgrows max_allowed_packet (16 MiB). */
    private static final String ORDERS_MD5 = blocks("id div 10000", "id", "quote(id), quote(customer_id),"
            + " quote(amount), quote(status), quote(note), quote(created_at), quote(handling), quote(fiscal_year),"
            + " quote(paid)", "orders");
    private static final String LINES_MD5 = blocks("tenant", "tenant, line_no",
            "quote(tenant), quote(line_no), quote(sku), quote(qty)", "order_lines");
    private static final String EVENTS_MD5 = blocks("account_id div 50", "account_id, id", "id, account_id, kind,"
            + " amount, date_format(created_at, '%Y-%m-%d %H:%i:%s'), coalesce(payload, 'NULL')", "events");
    private static final String PG_EVENTS_MD5 = "select md5(string_agg(h, '' order by b)) from (select account_id / 50 b,"
            + " md5(string_agg(concat_ws('|', id, account_id, kind, amount, to_char(created_at, 'YYYY-MM-DD HH24:MI:SS'),"
            + " coalesce(payload, 'NULL')), E'\\n' order by account_id, id)) h from events group by 1) x";

    private final TestServices services = TestServices.get();
    private final MariaDbServices mariaDb = MariaDbServices.get();
    private final TemporalCli temporal = new TemporalCli(services);

    @Test
    void mariaDbAndPostgresTablesCopyIntoMariaDbByOneAndByCompositeKeysAndValidate() throws Exception {
        String source = mariaDb.freshDatabase("runbooks_maria_source");
        String target = mariaDb.freshDatabase("runbooks_maria_target");
        String legacy = services.freshDatabase("maria_legacy");
        createTables(source, target, legacy);
        Map<String, Object> settings = new HashMap<>(mariaDb.connection("mariasource", source));
        settings.putAll(mariaDb.connection("mariatarget", target));
        ScenarioRun run = ScenarioRun.ofFile(temporal, "mariadb-backfill",
                "worker/src/test/resources/it-runbooks/mariadb-backfill.yaml");

        try (RunningWorker ignored = RunningWorker.start(services, Map.of("legacy", legacy), settings)) {
            run.start();
            JsonNode atGate = run.awaitGate("looks-right");

            assertThat(atGate.at("/rowsCopied").asLong()).isEqualTo(ORDERS + TENANTS.size() * LINES_PER_TENANT + EVENTS);
            assertThat(atGate.at("/evidence")).hasSize(3).allSatisfy(report -> {
                assertThat(report.at("/passed").asBoolean()).as(report.toString()).isTrue();
                assertThat(report.at("/sourceChecksum").asText()).isNotBlank()
                        .isEqualTo(report.at("/targetChecksum").asText());
            });
            assertThat(atGate.at("/evidence").findValues("sourceRows")).extracting(JsonNode::asLong)
                    .containsExactly((long) ORDERS, (long) TENANTS.size() * LINES_PER_TENANT, (long) EVENTS);

            assertThat(maria(target, ORDERS_MD5)).isNotNull().isEqualTo(maria(source, ORDERS_MD5));
            assertThat(maria(target, LINES_MD5)).isNotNull().isEqualTo(maria(source, LINES_MD5));
            assertThat(maria(target, EVENTS_MD5)).isNotNull().isEqualTo(postgres(legacy, PG_EVENTS_MD5));
            assertThat(maria(target, "select count(*) from order_lines where tenant = 'back\\\\slash'"))
                    .isEqualTo(String.valueOf(LINES_PER_TENANT));
            assertThat(audited(target, "orders")).isEqualTo(ORDERS);
            assertThat(audited(target, "order-lines")).isEqualTo(TENANTS.size() * LINES_PER_TENANT);
            assertThat(audited(target, "events-from-postgres#range-%")).isEqualTo(EVENTS);

            Map<String, Duration> took = CopyDurations.of(temporal, "mariadb-backfill/copy");
            log.info("mariadb-backfill: MariaDB to MariaDB {} rows by one key in {} ms = {} rows/s; {} rows by a"
                            + " composite key in {} ms; PostgreSQL to MariaDB {} rows in 2 key ranges in {} ms = {} rows/s",
                    ORDERS, took.get("orders").toMillis(), CopyDurations.rowsPerSecond(ORDERS, took.get("orders")),
                    TENANTS.size() * LINES_PER_TENANT, took.get("order-lines").toMillis(), EVENTS,
                    took.get("events-from-postgres").toMillis(),
                    CopyDurations.rowsPerSecond(EVENTS, took.get("events-from-postgres")));

            run.approve("looks-right", "dba-oncall");
            assertThat(run.result().at("/result/outcome").asText()).isEqualTo("COMPLETED");
        }
    }

    private void createTables(String source, String target, String legacy) throws SQLException {
        try (Connection c = mariaDb.connect(source); Statement st = c.createStatement()) {
            st.execute("create table orders " + ORDER_COLUMNS);
            st.execute("insert into orders select seq, seq % 977, (seq * 37 % 100000) / 100,"
                    + " if(seq % 11 = 0, 'refunded', 'paid'), if(seq % 13 = 0, null, concat('note ', seq, ' ünïcödé')),"
                    + " timestamp '2024-01-01 00:00:00' + interval seq * 7 second + interval (seq % 1000000) microsecond,"
                    + " if(seq % 17 = 0, null, sec_to_time(seq * 37 % 3000000 - 1000000 + (seq % 1000000) * 0.000001)),"
                    + " if(seq % 19 = 0, null, 1990 + seq % 40), seq % 2"
                    + " from (select cast(seq as signed) seq from seq_1_to_" + ORDERS + ") s");
            st.execute("create table order_lines " + LINE_COLUMNS);
        }
        try (Connection c = mariaDb.connect(source);
             PreparedStatement ps = c.prepareStatement("insert into order_lines values (?, ?, ?, ?)")) {
            for (String tenant : TENANTS) {
                for (int line = 1; line <= LINES_PER_TENANT; line++) {
                    ps.setString(1, tenant);
                    ps.setLong(2, line);
                    ps.setString(3, "sku-" + (line * 31 % 997));
                    ps.setInt(4, line % 50 + 1);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
        try (Connection c = mariaDb.connect(target); Statement st = c.createStatement()) {
            st.execute("create table orders " + ORDER_COLUMNS);
            st.execute("create table order_lines " + LINE_COLUMNS);
            st.execute("create table events (id bigint not null, account_id bigint not null, kind varchar(20) not null,"
                    + " amount decimal(12,2) not null, created_at datetime not null, payload text,"
                    + " primary key (account_id, id))");
        }
        try (Connection c = services.connect(legacy); Statement st = c.createStatement()) {
            st.execute("create table events (id bigint not null, account_id bigint not null, kind varchar(20) not null,"
                    + " amount numeric(12,2) not null, created_at timestamp(0) not null, payload text,"
                    + " primary key (account_id, id))");
            st.execute("insert into events select g, g % 503, case when g % 3 = 0 then 'debit' else 'credit' end,"
                    + " (g * 7919 % 1000000) / 100.0, timestamp '2024-01-01 00:00:00' + g * interval '7 seconds',"
                    + " case when g % 13 = 0 then null else repeat(md5(g::text), 2) || ' é' end"
                    + " from generate_series(1, " + EVENTS + ") g");
        }
    }

    /**
     * {@code md5} over blocks of rows: each block's rows as text, in key order, hashed; the blocks' hashes, in
     * order, hashed again. Exact and order-sensitive like one md5 over every row, within GROUP_CONCAT's limits.
     */
    private static String blocks(String block, String orderBy, String columns, String table) {
        return "select md5(group_concat(h order by b separator '')) from (select " + block + " b, md5(group_concat("
                + "concat_ws('|', " + columns + ") order by " + orderBy + " separator '\\n')) h from " + table
                + " group by 1) x";
    }

    /** Rows the chunk audit records for the copy keys of one step ({@code <run key>/<step id>[#range-i-of-n]}). */
    private long audited(String url, String copyKeySuffix) throws SQLException {
        return Long.parseLong(maria(url, "select coalesce(sum(row_count), 0) from runbook_copy_chunks"
                + " where copy_key like '%/" + copyKeySuffix + "'"));
    }

    private String maria(String url, String sql) throws SQLException {
        try (Connection c = mariaDb.connect(url); Statement st = c.createStatement()) {
            st.execute("set session group_concat_max_len = @@max_allowed_packet");
            try (ResultSet rs = st.executeQuery(sql)) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private String postgres(String url, String sql) throws SQLException {
        try (Connection c = services.connect(url); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
