package org.runbooks.jdbc;

import org.postgresql.PGConnection;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.jdbc.connect.ConnectionSettings;
import org.runbooks.jdbc.connect.JdbcConnectionRegistry;
import org.runbooks.jdbc.dialect.Dialect;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Two fresh databases on the real PostgreSQL that {@code scripts/with-services.sh} (or {@code .ci/run}) started and
 * exported as {@code RUNBOOKS_PG_*}, resolved as {@code legacy} and {@code target}. Without that server the tests
 * fail with the reason; they never skip. {@link #upsertOnly()} reaches the same databases through connections that
 * hide PgJDBC's copy API, as a pool or proxy that cannot unwrap to it would, so the same rows go the batched way.
 */
public final class PgDatabases {

    public static final String LEGACY = "legacy";
    public static final String TARGET = "target";

    private final String host = require("RUNBOOKS_PG_HOST");
    private final String port = require("RUNBOOKS_PG_PORT");
    private final String user = System.getenv().getOrDefault("RUNBOOKS_PG_USER", "postgres");
    private final String password = System.getenv().getOrDefault("RUNBOOKS_PG_PASSWORD", "");
    private final String legacyUrl;
    private final String targetUrl;
    public final JdbcConnectionRegistry registry;

    public PgDatabases(String prefix) {
        legacyUrl = fresh(prefix + "_legacy");
        targetUrl = fresh(prefix + "_target");
        registry = new JdbcConnectionRegistry(List.of(new ConnectionSettings(LEGACY, legacyUrl, user, password),
                new ConnectionSettings(TARGET, targetUrl, user, password)));
    }

    private static String require(String name) {
        String value = System.getenv(name);
        if (value == null) {
            throw new IllegalStateException(name + " is not set: run PostgreSQL tests through `bash scripts/"
                    + "with-services.sh mvn -B -ntp -pl activities -am verify -Dit.test=...` or `bash .ci/run`");
        }
        return value;
    }

    private String url(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    private String fresh(String database) {
        try (Connection c = DriverManager.getConnection(url("postgres"), user, password);
             Statement st = c.createStatement()) {
            st.execute("drop database if exists " + database + " with (force)");
            st.execute("create database " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database + ": " + e.getMessage(), e);
        }
        return url(database);
    }

    /** The same two databases, through connections that cannot unwrap to {@link PGConnection}. */
    public ConnectionRegistry upsertOnly() {
        return new ConnectionRegistry() {
            @Override
            public Set<String> names() {
                return registry.names();
            }

            @Override
            public Connection open(String name) throws SQLException {
                return withoutCopyApi(registry.open(name));
            }

            @Override
            public Dialect dialect(String name) {
                return registry.dialect(name);
            }
        };
    }

    private static Connection withoutCopyApi(Connection real) {
        return (Connection) Proxy.newProxyInstance(PgDatabases.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("isWrapperFor") && args[0] == PGConnection.class) {
                        return false;
                    }
                    if (method.getName().equals("unwrap") && args[0] == PGConnection.class) {
                        throw new SQLException("this connection does not expose PgJDBC");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Runs each statement on {@code connection} and commits. */
    public void execute(String connection, String... statements) {
        try (Connection c = open(connection); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every row of {@code query}, each as its columns' text, as PostgreSQL renders them. */
    public List<List<String>> rows(String connection, String query) {
        try (Connection c = open(connection); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            int width = rs.getMetaData().getColumnCount();
            List<List<String>> rows = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>(width);
                for (int i = 1; i <= width; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public String scalar(String connection, String query) {
        return rows(connection, query).get(0).get(0);
    }

    /** The same two databases, every connection with {@code lockTimeout}, as the worker's configuration can set it. */
    public JdbcConnectionRegistry withLockTimeout(java.time.Duration lockTimeout) {
        return new JdbcConnectionRegistry(List.of(
                new ConnectionSettings(LEGACY, legacyUrl, user, password, lockTimeout, null),
                new ConnectionSettings(TARGET, targetUrl, user, password, lockTimeout, null)));
    }

    /**
     * The same two databases, each read (checks, probes, a backfill's source) through the login {@code user}, as
     * {@code runbooks.connections.<name>.read-only} configures it; everything else with the test server's user.
     */
    public JdbcConnectionRegistry withReadOnlyLogin(String user, String password) {
        ConnectionSettings.ReadOnlyLogin login = new ConnectionSettings.ReadOnlyLogin(null, user, password);
        return new JdbcConnectionRegistry(List.of(
                new ConnectionSettings(LEGACY, legacyUrl, this.user, this.password).withReadOnly(login),
                new ConnectionSettings(TARGET, targetUrl, this.user, this.password).withReadOnly(login)));
    }

    /** A plain connection of the test's own, outside any registry (autocommit on). */
    public Connection connect(String connection) throws SQLException {
        return open(connection);
    }

    private Connection open(String connection) throws SQLException {
        return DriverManager.getConnection(LEGACY.equals(connection) ? legacyUrl : targetUrl, user, password);
    }
}
