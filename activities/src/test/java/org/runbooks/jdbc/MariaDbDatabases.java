package org.runbooks.jdbc;

import org.runbooks.jdbc.connect.ConnectionSettings;
import org.runbooks.jdbc.connect.JdbcConnectionRegistry;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Two fresh databases on the MariaDB server that {@code scripts/with-services.sh} (or {@code .ci/run}) started and
 * exported as {@code RUNBOOKS_MARIADB_*}, resolved as {@code legacy} and {@code target}. Without that server the
 * tests fail with the reason; they never skip.
 */
public final class MariaDbDatabases {

    public static final String LEGACY = "legacy";
    public static final String TARGET = "target";

    private final String host = require("RUNBOOKS_MARIADB_HOST");
    private final String port = require("RUNBOOKS_MARIADB_PORT");
    private final String user = require("RUNBOOKS_MARIADB_USER");
    private final String password = require("RUNBOOKS_MARIADB_PASSWORD");
    private final String legacyUrl;
    private final String targetUrl;
    public final JdbcConnectionRegistry registry;

    public MariaDbDatabases(String prefix) {
        this(prefix, "");
    }

    /**
     * With {@code legacyOptions} (say {@code ?sessionVariables=time_zone='+05:00'}) on the legacy URL: for every
     * connection to it, the worker's and this fixture's, as a server configured that way would be.
     */
    public MariaDbDatabases(String prefix, String legacyOptions) {
        legacyUrl = fresh(prefix + "_legacy") + legacyOptions;
        targetUrl = fresh(prefix + "_target");
        registry = new JdbcConnectionRegistry(List.of(new ConnectionSettings(LEGACY, legacyUrl, user, password),
                new ConnectionSettings(TARGET, targetUrl, user, password)));
    }

    private static String require(String name) {
        String value = System.getenv(name);
        if (value == null) {
            throw new IllegalStateException(name + " is not set: install Debian's mariadb-server and run MariaDB tests"
                    + " through `bash scripts/with-services.sh mvn -B -ntp -pl activities -am verify -Dit.test=...`"
                    + " or `bash .ci/run`");
        }
        return value;
    }

    private String url(String database) {
        return "jdbc:mariadb://" + host + ":" + port + "/" + database;
    }

    private String fresh(String database) {
        try (Connection c = DriverManager.getConnection(url(""), user, password);
             Statement st = c.createStatement()) {
            st.execute("drop database if exists " + database);
            st.execute("create database " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create MariaDB database " + database + ": " + e.getMessage(), e);
        }
        return url(database);
    }

    /** Runs each statement on {@code connection} (autocommit). */
    public void execute(String connection, String... statements) {
        try (Connection c = open(connection); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public String scalar(String connection, String query) {
        try (Connection c = open(connection); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same two databases, with {@code lockTimeout} on every connection the worker opens. */
    public JdbcConnectionRegistry withLockTimeout(java.time.Duration lockTimeout) {
        return new JdbcConnectionRegistry(List.of(
                new ConnectionSettings(LEGACY, legacyUrl, user, password, lockTimeout, null),
                new ConnectionSettings(TARGET, targetUrl, user, password, lockTimeout, null)));
    }

    /** A plain connection of the test's own, outside any registry (autocommit on). */
    public Connection connect(String connection) throws SQLException {
        return open(connection);
    }

    private Connection open(String connection) throws SQLException {
        return DriverManager.getConnection(LEGACY.equals(connection) ? legacyUrl : targetUrl, user, password);
    }
}
