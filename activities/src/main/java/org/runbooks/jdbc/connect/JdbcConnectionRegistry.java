package org.runbooks.jdbc.connect;

import org.runbooks.jdbc.dialect.Dialect;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/** A {@link ConnectionRegistry} over plain JDBC URLs, one connection per call. */
public final class JdbcConnectionRegistry implements ConnectionRegistry {

    /** Seconds a connection attempt may take before it counts as unreachable: 10. */
    public static final int CONNECT_TIMEOUT_SECONDS = 10;

    private final Map<String, ConnectionSettings> settings = new LinkedHashMap<>();

    /**
     * @throws IllegalArgumentException when a read-only login points at another kind of database than its connection
     */
    public JdbcConnectionRegistry(List<ConnectionSettings> connections) {
        for (ConnectionSettings c : connections) {
            String readUrl = c.readOnly() == null ? null : c.readOnly().url();
            if (c.url() != null && readUrl != null
                    && Dialect.forUrl(c.url()).getClass() != Dialect.forUrl(readUrl).getClass()) {
                throw new IllegalArgumentException("runbooks.connections." + c.name() + ".read-only.url names another "
                        + "kind of database than runbooks.connections." + c.name() + ".url");
            }
            settings.put(c.name(), c);
        }
    }

    @Override
    public Set<String> names() {
        return settings.keySet();
    }

    @Override
    public Connection open(String name) throws SQLException {
        Connection connection = connect(settings(name));
        try {
            connection.setAutoCommit(false);
        } catch (SQLException | RuntimeException e) {
            try (connection) {
                throw e;
            }
        }
        return connection;
    }

    /** On the read-only login when there is one; read-only transactions either way. */
    @Override
    public Connection openForReading(String name) throws SQLException {
        ConnectionSettings s = settings(name).forReading();
        Connection connection = connect(s);
        try {
            ReadOnlySessions.enter(connection, Dialect.forUrl(s.url()));
        } catch (SQLException | RuntimeException e) {
            try (connection) {
                throw e;
            }
        }
        return connection;
    }

    @Override
    public boolean hasReadOnlyLogin(String name) {
        return settings(name).readOnly() != null;
    }

    /** A new session in UTC with the connection's timeouts, still in auto-commit. */
    private static Connection connect(ConnectionSettings s) throws SQLException {
        Properties props = new Properties();
        if (s.user() != null) {
            props.setProperty("user", s.user());
        }
        if (s.password() != null) {
            props.setProperty("password", s.password());
        }
        DriverManager.setLoginTimeout(CONNECT_TIMEOUT_SECONDS);
        Connection connection = DriverManager.getConnection(s.url(), props);
        try {
            inUtc(connection, Dialect.forUrl(s.url()));
            withTimeouts(connection, s);
        } catch (SQLException | RuntimeException e) {
            try (connection) {
                throw e;
            }
        }
        return connection;
    }

    /**
     * Pins the session's time zone to UTC ({@link Dialect#utcSession}): a MariaDB {@code timestamp} is read and
     * written as text in the session's zone, and PgJDBC sets the session to the JVM's zone, so two connections in
     * different zones would move an instant by their difference, and validation would hash each side's rendering.
     */
    private static void inUtc(Connection connection, Dialect dialect) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(dialect.utcSession());
        }
    }

    /**
     * Gives the session the connection's lock timeout and statement timeout ({@link ConnectionSettings}), while it is
     * still in autocommit, so no rollback can undo them: every statement the worker runs on it then gives up on a
     * lock after a few seconds instead of queuing behind a long transaction, and every session behind it.
     */
    private static void withTimeouts(Connection connection, ConnectionSettings s) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String set : Dialect.forUrl(s.url()).sessionTimeouts(s.lockTimeoutInForce(), s.statementTimeout())) {
                statement.execute(set);
            }
        }
    }

    @Override
    public Dialect dialect(String name) {
        return Dialect.forUrl(settings(name).url());
    }

    private ConnectionSettings settings(String name) {
        ConnectionSettings s = settings.get(name);
        if (s == null) {
            throw new UnknownConnectionException(name, settings.keySet());
        }
        return s;
    }
}
