package org.runbooks.jdbc;

import io.temporal.failure.ApplicationFailure;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.jdbc.dialect.Dialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The read side of one validation (and of a throttle probe): one connection per connection name, opened on first
 * use for reading only ({@link ConnectionRegistry#openForReading}: the connection's read-only login when the worker
 * names one), and every read in a read-only transaction of its own ({@link Dialect#readOnlyTransaction}) that is
 * rolled back afterwards, so a check never writes, even on a database that treats the driver's read-only flag as a
 * hint, and a failed query does not spoil the ones after it.
 */
public final class ReadOnlyQueries implements AutoCloseable {

    /**
     * Longest one KPI or assertion query may run: 600 s (10 minutes). A check that needs longer wants an index or a
     * narrower query; the table comparison's own counts and checksums are bounded by the activity's timeout instead.
     */
    static final int QUERY_TIMEOUT_SECONDS = 600;

    /** What is read inside one transaction. */
    @FunctionalInterface
    public interface Reading<T> {
        public T read(Connection connection, Dialect dialect) throws SQLException;
    }

    private final ConnectionRegistry registry;
    private final Map<String, Connection> open = new LinkedHashMap<>();

    public ReadOnlyQueries(ConnectionRegistry registry) {
        this.registry = registry;
    }

    /**
     * Runs {@code reading} in a read-only transaction on {@code name} and rolls it back.
     *
     * @throws SQLException when the database cannot be reached or the reading fails
     */
    public <T> T read(String name, Reading<T> reading) throws SQLException {
        Connection connection = connection(name);
        Dialect dialect = registry.dialect(name);
        T result;
        try {
            readOnlyTransaction(connection, dialect);
            result = reading.read(connection, dialect);
        } catch (SQLException | RuntimeException e) {
            rollbackAfter(connection, e);
            throw e;
        }
        connection.rollback();
        return result;
    }

    /** The dialect of the database behind {@code name}. */
    public Dialect dialect(String name) {
        return registry.dialect(name);
    }

    /**
     * Runs a query that should return one number. A query that fails, or returns something else, gives a problem
     * instead of a number; only trouble a retry can fix (an unreachable or busy database) is thrown.
     *
     * @throws SQLException when the database cannot be reached, or the failure is worth a retry
     */
    public SingleNumber number(String name, String sql) throws SQLException {
        // A database that cannot be reached, or refuses the login, fails the activity rather than the check.
        connection(name);
        try {
            return read(name, (connection, dialect) -> {
                try (Statement st = connection.createStatement()) {
                    st.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                    st.setMaxRows(2);
                    try (ResultSet rs = st.executeQuery(sql)) {
                        return SingleNumber.read(rs);
                    }
                }
            });
        } catch (SQLException e) {
            if (isRetryable(e)) {
                throw e;
            }
            // Databases spread a message over lines (PostgreSQL's "Position:", H2's statement); a verdict is one line.
            String message = String.valueOf(e.getMessage()).replaceAll("\\s*\\R\\s*", " ");
            return SingleNumber.problem("failed: " + message + " [SQLState " + e.getSQLState() + "]");
        }
    }

    /** Begins the read's transaction read-only, whatever the login and the session allow. */
    private static void readOnlyTransaction(Connection connection, Dialect dialect) throws SQLException {
        String begin = dialect.readOnlyTransaction();
        if (begin != null) {
            try (Statement st = connection.createStatement()) {
                st.execute(begin);
            }
        }
    }

    /** The same line every other activity draws between a database that is away and a query that is wrong. */
    private static boolean isRetryable(SQLException e) {
        return Failures.of(e) instanceof ApplicationFailure failure && !failure.isNonRetryable();
    }

    /** Synchronized, so that two connection names can be read from two threads at once (each its own connection). */
    private synchronized Connection connection(String name) throws SQLException {
        Connection connection = open.get(name);
        if (connection == null) {
            connection = registry.openForReading(name);
            open.put(name, connection);
        }
        return connection;
    }

    private static void rollbackAfter(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        SQLException first = null;
        for (Connection connection : open.values()) {
            try {
                connection.close();
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }
}
