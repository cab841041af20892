package org.runbooks.jdbc.connect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * Resolves the connection names that runbooks use to real databases. Credentials live behind this interface, in
 * the worker's configuration, and never in a workflow's input, result, signal or query.
 */
public interface ConnectionRegistry {

    /** The names this worker can resolve. */
    Set<String> names();

    /**
     * Opens a new connection with auto-commit off.
     *
     * @throws UnknownConnectionException when {@code name} is not configured (a retry cannot help)
     * @throws SQLException               when the database cannot be reached (a retry may help)
     */
    Connection open(String name) throws SQLException;

    /**
     * Opens a connection for reading only, with auto-commit off: on the connection's read-only login when the
     * worker's configuration names one ({@code runbooks.connections.<name>.read-only}), else on its own; either way
     * every transaction on it is read-only ({@link org.runbooks.jdbc.dialect.Dialect#readOnlySession}), so what a
     * check, a throttle probe or a backfill's source query runs cannot write. This default opens {@link #open} and
     * makes it read-only; registries that know about read-only logins override it.
     *
     * @throws UnknownConnectionException when {@code name} is not configured (a retry cannot help)
     * @throws SQLException               when the database cannot be reached (a retry may help)
     */
    default Connection openForReading(String name) throws SQLException {
        Connection connection = open(name);
        try {
            ReadOnlySessions.enter(connection, dialect(name));
        } catch (SQLException | RuntimeException e) {
            try (connection) {
                throw e;
            }
        }
        return connection;
    }

    /** Whether reads on {@code name} use a login of their own, which {@code plan} tells apart from the write login. */
    default boolean hasReadOnlyLogin(String name) {
        return false;
    }

    /** The dialect of the database behind {@code name}. */
    org.runbooks.jdbc.dialect.Dialect dialect(String name);
}
