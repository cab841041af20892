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

    /** The dialect of the database behind {@code name}. */
    org.runbooks.jdbc.dialect.Dialect dialect(String name);
}
