package org.runbooks.jdbc.connect;

import org.runbooks.jdbc.dialect.Dialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Makes a session read-only for good: the database's session-wide read-only mode, committed so that no rollback
 * undoes it, and the driver's read-only flag (PgJDBC then begins each transaction {@code READ ONLY} as well).
 */
final class ReadOnlySessions {

    private ReadOnlySessions() {
    }

    /** Puts {@code connection} (auto-commit on or off) into read-only mode and leaves auto-commit off. */
    static void enter(Connection connection, Dialect dialect) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        try (Statement statement = connection.createStatement()) {
            for (String sql : dialect.readOnlySession()) {
                statement.execute(sql);
            }
        }
        if (!autoCommit) {
            connection.commit();
        }
        connection.setAutoCommit(false);
        connection.setReadOnly(true);
    }
}
