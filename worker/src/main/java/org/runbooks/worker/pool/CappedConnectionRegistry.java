package org.runbooks.worker.pool;

import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.jdbc.dialect.Dialect;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * A cap per named connection on how many connections this worker holds open at once: parallel slices, validations
 * and several runbooks share at most {@code cap} sessions per database, and work that needs one more waits (in
 * arrival order) up to {@link #WAIT} for one to be closed, then fails retryably. Connections are still opened and
 * set up by the underlying registry, one per use, so an unreachable database fails at once with the driver's own
 * error, as before; a pool (HikariCP was tried) instead kept callers waiting on a down database and replaced the
 * driver's errors with its own, which the outage drill showed.
 */
public final class CappedConnectionRegistry implements ConnectionRegistry {

    /** Longest work waits for one of a database's connections to be closed: 60 s. */
    public static final Duration WAIT = Duration.ofSeconds(60);

    private final ConnectionRegistry physical;
    private final Map<String, Integer> caps;
    private final Map<String, Semaphore> permits;

    /** Caps {@code physical} with {@code caps} (name to the most connections open at once). */
    public CappedConnectionRegistry(ConnectionRegistry physical, Map<String, Integer> caps) {
        this.physical = physical;
        this.caps = Map.copyOf(caps);
        this.permits = this.caps.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> new Semaphore(e.getValue(), true)));
    }

    @Override
    public Set<String> names() {
        return physical.names();
    }

    /** The most connections this worker opens to {@code name} at once, or null for an unknown name. */
    public Integer cap(String name) {
        return caps.get(name);
    }

    @Override
    public Connection open(String name) throws SQLException {
        return capped(name, physical::open);
    }

    /** A read takes one of the same slots: the read-only login is another role on the same database. */
    @Override
    public Connection openForReading(String name) throws SQLException {
        return capped(name, physical::openForReading);
    }

    @Override
    public boolean hasReadOnlyLogin(String name) {
        return physical.hasReadOnlyLogin(name);
    }

    /** How a connection is opened once a slot is free. */
    @FunctionalInterface
    private interface Opening {
        Connection open(String name) throws SQLException;
    }

    private Connection capped(String name, Opening opening) throws SQLException {
        Semaphore slots = permits.get(name);
        if (slots == null) {
            return opening.open(name);
        }
        try {
            if (!slots.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SQLTransientConnectionException("connection '" + name + "': all " + caps.get(name)
                        + " connections this worker may open (max-connections) stayed in use for " + WAIT.toSeconds()
                        + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted waiting for a connection to '" + name + "'", e);
        }
        try {
            return releasingOnClose(opening.open(name), slots);
        } catch (SQLException | RuntimeException e) {
            slots.release();
            throw e;
        }
    }

    @Override
    public Dialect dialect(String name) {
        return physical.dialect(name);
    }

    /** The connection as it is, except that closing or aborting it (once) gives its slot back. */
    private static Connection releasingOnClose(Connection connection, Semaphore slots) {
        AtomicBoolean released = new AtomicBoolean();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if ((method.getName().equals("close") || method.getName().equals("abort"))
                                && released.compareAndSet(false, true)) {
                            slots.release();
                        }
                    }
                });
    }
}
