package org.runbooks.stream;

import org.runbooks.jdbc.connect.ConnectionSettings;
import org.runbooks.jdbc.connect.JdbcConnectionRegistry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A fresh source ({@code legacy}) and target database on the real PostgreSQL or MariaDB that
 * {@code scripts/with-services.sh} started, with the streamed {@code orders} table on both, a second table
 * {@code other} on the source, and on the target a trigger that counts every row the stream writes
 * ({@code apply_count}) and logs the state it wrote ({@code apply_log}), so a change applied twice shows. Without the server the tests fail with the reason.
 */
final class StreamPair {

    enum Kind { POSTGRES, MARIADB }

    static final String LEGACY = "legacy";
    static final String TARGET = "target";

    final Kind sourceKind;
    final Kind targetKind;
    final Map<String, ConnectionSettings> settings;
    final JdbcConnectionRegistry registry;

    StreamPair(Kind source, Kind target, String prefix) {
        this.sourceKind = source;
        this.targetKind = target;
        ConnectionSettings legacy = fresh(source, LEGACY, prefix + "_legacy");
        ConnectionSettings targetSettings = fresh(target, TARGET, prefix + "_target");
        settings = Map.of(LEGACY, legacy, TARGET, targetSettings);
        registry = new JdbcConnectionRegistry(List.of(legacy, targetSettings));
        execute(LEGACY, ordersTable(source), otherTable(source));
        execute(TARGET, ordersTable(target));
        execute(TARGET, counterStatements(target));
    }

    StreamSpec spec(String streamId) {
        return new StreamSpec(streamId, LEGACY, "orders", TARGET, "orders", List.of("id"));
    }

    private static String ordersTable(Kind kind) {
        return kind == Kind.POSTGRES
                ? "create table orders (id bigint primary key, version int not null, note varchar(200), big text, "
                + "amount numeric(12,2), updated_at timestamp(6))"
                : "create table orders (id bigint primary key, version int not null, note varchar(200), big longtext, "
                + "amount decimal(12,2), updated_at datetime(6))";
    }

    private static String otherTable(Kind kind) {
        return "create table other (id bigint primary key, v varchar(100))";
    }

    private static String[] counterStatements(Kind kind) {
        if (kind == Kind.POSTGRES) {
            return new String[] {
                    "create table apply_count (n bigint not null)",
                    "insert into apply_count values (0)",
                    "create table apply_log (id bigint not null, version int not null)",
                    "create function count_apply() returns trigger language plpgsql as "
                            + "$$ begin update apply_count set n = n + 1; "
                            + "if tg_op <> 'DELETE' then insert into apply_log values (new.id, new.version); end if; "
                            + "return null; end $$",
                    "create trigger count_apply after insert or update or delete on orders for each row "
                            + "execute function count_apply()"};
        }
        return new String[] {
                "create table apply_count (n bigint not null)",
                "insert into apply_count values (0)",
                "create table apply_log (id bigint not null, version int not null)",
                "create trigger count_insert after insert on orders for each row begin "
                        + "update apply_count set n = n + 1; insert into apply_log values (new.id, new.version); end",
                "create trigger count_update after update on orders for each row begin "
                        + "update apply_count set n = n + 1; insert into apply_log values (new.id, new.version); end",
                "create trigger count_delete after delete on orders for each row update apply_count set n = n + 1"};
    }

    /** Starts counting the target's writes from zero (after a copy, say). */
    void resetCounter() {
        execute(TARGET, "update apply_count set n = 0", "delete from apply_log");
    }

    /**
     * Row states the target was given more than once since {@link #resetCounter}: every source insert or update
     * makes a new (id, version) (the load generator's ids are never reused and each update adds 1 to the version),
     * so a state written twice is a change applied twice. The stream may skip states a later change of the same
     * batch replaced ({@code ChangeCompaction}), so this, not the number of writes, tells "none twice".
     */
    long statesWrittenTwice() {
        return Long.parseLong(scalar(TARGET, "select count(*) - (select count(*) from "
                + "(select distinct id, version from apply_log) d) from apply_log"));
    }

    long counted() {
        return Long.parseLong(scalar(TARGET, "select n from apply_count"));
    }

    private static ConnectionSettings fresh(Kind kind, String name, String database) {
        if (kind == Kind.POSTGRES) {
            String base = "jdbc:postgresql://" + env("RUNBOOKS_PG_HOST") + ":" + env("RUNBOOKS_PG_PORT") + "/";
            String user = System.getenv().getOrDefault("RUNBOOKS_PG_USER", "postgres");
            String password = System.getenv().getOrDefault("RUNBOOKS_PG_PASSWORD", "");
            run(base + "postgres", user, password, "drop database if exists " + database + " with (force)",
                    "create database " + database);
            return new ConnectionSettings(name, base + database, user, password);
        }
        String base = "jdbc:mariadb://" + env("RUNBOOKS_MARIADB_HOST") + ":" + env("RUNBOOKS_MARIADB_PORT") + "/";
        String user = env("RUNBOOKS_MARIADB_USER");
        String password = env("RUNBOOKS_MARIADB_PASSWORD");
        run(base, user, password, "drop database if exists " + database, "create database " + database);
        return new ConnectionSettings(name, base + database, user, password);
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null) {
            throw new IllegalStateException(name + " is not set: run stream tests through `RUNBOOKS_WITH_MARIADB=1 "
                    + "bash scripts/with-services.sh mvn -B -ntp -pl activities -am verify -Dit.test=...`");
        }
        return value;
    }

    private static void run(String url, String user, String password, String... statements) {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("on " + url + ": " + e.getMessage(), e);
        }
    }

    /** A plain connection, autocommit on. */
    Connection connect(String name) throws SQLException {
        ConnectionSettings s = settings.get(name);
        return DriverManager.getConnection(s.url(), s.user(), s.password());
    }

    void execute(String name, String... statements) {
        try (Connection c = connect(name); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    String scalar(String name, String query) {
        try (Connection c = connect(name); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A digest of {@code orders} computed here, not in either database: the SHA-256 of every row in key order, each
     * column as a value the two kinds render alike (numbers as numbers, the timestamp to the microsecond).
     */
    String digest(String name) {
        try (Connection c = connect(name); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select id, version, note, big, amount, updated_at from orders order by id")) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                row.append(rs.getLong(1)).append('|').append(rs.getInt(2)).append('|').append(rs.getString(3))
                        .append('|').append(rs.getString(4)).append('|')
                        .append(rs.getBigDecimal(5) == null ? null : rs.getBigDecimal(5).toPlainString()).append('|')
                        .append(rs.getObject(6, java.time.LocalDateTime.class)).append('\n');
                sha.update(row.toString().getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    long count(String name) {
        return Long.parseLong(scalar(name, "select count(*) from orders"));
    }

    /** The backfill's part, done plainly: every source row upserted into the target, read after the start. */
    void copy() {
        try (Connection source = connect(LEGACY); Connection target = registry.open(TARGET);
             Statement st = source.createStatement();
             ResultSet rs = st.executeQuery("select id, version, note, big, amount, updated_at from orders")) {
            var dialect = registry.dialect(TARGET);
            List<String> columns = List.of("id", "version", "note", "big", "amount", "updated_at");
            try (var ps = target.prepareStatement(dialect.upsert("orders", columns, List.of("id")))) {
                while (rs.next()) {
                    ps.setLong(1, rs.getLong(1));
                    ps.setInt(2, rs.getInt(2));
                    ps.setString(3, rs.getString(3));
                    ps.setString(4, rs.getString(4));
                    ps.setBigDecimal(5, rs.getBigDecimal(5));
                    ps.setObject(6, rs.getObject(6, java.time.LocalDateTime.class));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            target.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
