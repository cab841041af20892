package org.runbooks.jdbc.connect;

import org.runbooks.jdbc.dialect.Dialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * A {@link ConnectionRegistry} whose failures to connect name the connection, as the runbook does: a driver says
 * which host and port refused, but an operator reading {@code status} thinks in connection names ("target is
 * unreachable"). The failure keeps the driver's SQLState, so it is classified exactly as before.
 */
public final class NamingConnectionRegistry implements ConnectionRegistry {

    private final ConnectionRegistry registry;

    public NamingConnectionRegistry(ConnectionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Set<String> names() {
        return registry.names();
    }

    @Override
    public Connection open(String name) throws SQLException {
        try {
            return registry.open(name);
        } catch (SQLException e) {
            throw new SQLException("connection '" + name + "' is unreachable: " + e.getMessage(), e.getSQLState(),
                    e.getErrorCode(), e);
        }
    }

    @Override
    public Connection openForReading(String name) throws SQLException {
        try {
            return registry.openForReading(name);
        } catch (SQLException e) {
            throw new SQLException("connection '" + name + "' is unreachable"
                    + (registry.hasReadOnlyLogin(name) ? " with its read-only login: " : ": ") + e.getMessage(),
                    e.getSQLState(), e.getErrorCode(), e);
        }
    }

    @Override
    public boolean hasReadOnlyLogin(String name) {
        return registry.hasReadOnlyLogin(name);
    }

    @Override
    public Dialect dialect(String name) {
        return registry.dialect(name);
    }
}
