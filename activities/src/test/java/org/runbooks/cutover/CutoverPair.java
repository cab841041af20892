package org.runbooks.cutover;

import org.runbooks.flag.FlagStore;
import org.runbooks.jdbc.connect.ConnectionSettings;
import org.runbooks.jdbc.connect.JdbcConnectionRegistry;
import org.runbooks.stream.StreamSpec;

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
 * {@code scripts/with-services.sh} started, each with an {@code orders} table whose key the database generates (a
 * sequence, AUTO_INCREMENT: the switch must move the target's past the source's), and the flag tables on the source.
 * Without the server the tests fail with the reason.
 */
final class CutoverPair {

    enum Kind { POSTGRES, MARIADB }

    static final String LEGACY = "legacy";
    static final String TARGET = "target";
    static final List<String> COLUMNS = List.of("id", "version", "note", "amount");

    final Kind kind;
    final Map<String, ConnectionSettings> settings;
    final JdbcConnectionRegistry registry;

    CutoverPair(String prefix) {
        this(Kind.POSTGRES, prefix);
    }

    CutoverPair(Kind kind, String prefix) {
        this.kind = kind;
        ConnectionSettings legacy = fresh(kind, LEGACY, prefix + "_legacy");
        ConnectionSettings target = fresh(kind, TARGET, prefix + "_target");
        settings = Map.of(LEGACY, legacy, TARGET, target);
        registry = new JdbcConnectionRegistry(List.of(legacy, target));
        String orders = kind == Kind.POSTGRES
                ? "create table orders (id bigserial primary key, version int not null, note varchar(200), "
                + "amount numeric(12,2))"
                : "create table orders (id bigint auto_increment primary key, version int not null, "
                + "note varchar(200), amount decimal(12,2))";
        execute(LEGACY, orders);
        execute(TARGET, orders);
        try (Connection c = registry.open(LEGACY)) {
            FlagStore.ensureTables(c);
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stream {@code from} → {@code to} of {@code orders}, keyed by id. */
    static StreamSpec spec(String streamId, String from, String to) {
        return new StreamSpec(streamId, from, "orders", to, "orders", List.of("id"));
    }

    private static ConnectionSettings fresh(Kind kind, String name, String database) {
        String base;
        String user;
        String password;
        String admin;
        if (kind == Kind.POSTGRES) {
            base = "jdbc:postgresql://" + env("RUNBOOKS_PG_HOST") + ":" + env("RUNBOOKS_PG_PORT") + "/";
            user = System.getenv().getOrDefault("RUNBOOKS_PG_USER", "postgres");
            password = System.getenv().getOrDefault("RUNBOOKS_PG_PASSWORD", "");
            admin = base + "postgres";
        } else {
            base = "jdbc:mariadb://" + env("RUNBOOKS_MARIADB_HOST") + ":" + env("RUNBOOKS_MARIADB_PORT") + "/";
            user = env("RUNBOOKS_MARIADB_USER");
            password = env("RUNBOOKS_MARIADB_PASSWORD");
            admin = base;
        }
        try (Connection c = DriverManager.getConnection(admin, user, password);
             Statement st = c.createStatement()) {
            st.execute("drop database if exists " + database + (kind == Kind.POSTGRES ? " with (force)" : ""));
            st.execute("create database " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database + ": " + e.getMessage(), e);
        }
        return new ConnectionSettings(name, base + database, user, password);
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null) {
            throw new IllegalStateException(name + " is not set: run the cutover tests through `RUNBOOKS_WITH_MARIADB=1 "
                    + "bash scripts/with-services.sh mvn -B -ntp -pl workflows,activities verify -Dit.test=...`");
        }
        return value;
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

    /** A digest of {@code orders} computed here, not in either database: SHA-256 of every row in key order. */
    String digest(String name) {
        try (Connection c = connect(name); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select id, version, note, amount from orders order by id")) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            while (rs.next()) {
                String row = rs.getLong(1) + "|" + rs.getInt(2) + "|" + rs.getString(3) + "|"
                        + (rs.getBigDecimal(4) == null ? null : rs.getBigDecimal(4).toPlainString()) + "\n";
                sha.update(row.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    long count(String name) {
        return Long.parseLong(scalar(name, "select count(*) from orders"));
    }

    /** The backfill's part, done plainly: every source row upserted into the target, read after the stream's start. */
    void copy() {
        try (Connection source = connect(LEGACY); Connection target = registry.open(TARGET);
             Statement st = source.createStatement();
             ResultSet rs = st.executeQuery("select id, version, note, amount from orders")) {
            var dialect = registry.dialect(TARGET);
            try (var ps = target.prepareStatement(dialect.upsert("orders", COLUMNS, List.of("id")))) {
                while (rs.next()) {
                    ps.setLong(1, rs.getLong(1));
                    ps.setInt(2, rs.getInt(2));
                    ps.setString(3, rs.getString(3));
                    ps.setBigDecimal(4, rs.getBigDecimal(4));
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
