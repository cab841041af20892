package org.runbooks.worker.pool;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.runbooks.connect.ConnectionRegistry;
import org.runbooks.dialect.Dialect;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * One HikariCP pool per named connection, each with its cap, over a registry that opens the physical connections
 * (so every pooled connection still gets its session's UTC zone and timeouts once, when it is opened). Parallel
 * slices, validations and several runbooks on one worker then share at most {@code cap} connections per database;
 * one that needs another waits up to {@link #WAIT} for one to be returned, then fails retryably.
 */
public final class PooledConnectionRegistry implements ConnectionRegistry, AutoCloseable {

    /** Longest work waits for a free connection before its attempt fails (and Temporal retries it): 60 s. */
    public static final Duration WAIT = Duration.ofSeconds(60);
    /** An idle connection is closed after: 2 minutes, so a finished runbook does not hold its database's slots. */
    static final Duration IDLE = Duration.ofMinutes(2);

    private final ConnectionRegistry physical;
    private final Map<String, Integer> caps;
    private final Map<String, HikariDataSource> pools = new LinkedHashMap<>();

    /** Pools over {@code physical} with {@code caps} (name to the most connections); names without a cap get none. */
    public PooledConnectionRegistry(ConnectionRegistry physical, Map<String, Integer> caps) {
        this.physical = physical;
        this.caps = Map.copyOf(caps);
    }

    @Override
    public Set<String> names() {
        return physical.names();
    }

    /** The most connections this worker opens to {@code name}, or null for an unknown name. */
    public Integer cap(String name) {
        return caps.get(name);
    }

    @Override
    public Connection open(String name) throws SQLException {
        Integer cap = caps.get(name);
        if (cap == null || !physical.names().contains(name)) {
            return physical.open(name);
        }
        return pool(name, cap).getConnection();
    }

    @Override
    public Dialect dialect(String name) {
        return physical.dialect(name);
    }

    private synchronized HikariDataSource pool(String name, int cap) {
        return pools.computeIfAbsent(name, n -> {
            HikariConfig config = new HikariConfig();
            config.setPoolName("runbooks-" + n);
            config.setDataSource(new Opening(physical, n));
            config.setMaximumPoolSize(cap);
            config.setMinimumIdle(0);
            config.setIdleTimeout(IDLE.toMillis());
            config.setConnectionTimeout(WAIT.toMillis());
            config.setAutoCommit(false);
            // Never fail the worker's start-up over a database that is down: the first use reports it.
            config.setInitializationFailTimeout(-1);
            return new HikariDataSource(config);
        });
    }

    @Override
    public synchronized void close() {
        pools.values().forEach(HikariDataSource::close);
        pools.clear();
    }

    /** Hands Hikari the physical connections {@link ConnectionRegistry#open} makes, set up as it sets them up. */
    private record Opening(ConnectionRegistry physical, String name) implements DataSource {

        @Override
        public Connection getConnection() throws SQLException {
            return physical.open(name);
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
