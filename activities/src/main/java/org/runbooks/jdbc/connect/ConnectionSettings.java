package org.runbooks.jdbc.connect;

import java.time.Duration;

/**
 * How to reach one named database. The password stays on the worker; {@link #toString()} never shows it.
 *
 * @param lockTimeout      how long any statement the worker runs waits for a lock before it fails (and its activity
 *                         retries with backoff); null: {@link #DEFAULT_LOCK_TIMEOUT}
 * @param statementTimeout how long any statement may run; null or zero: no limit
 * @param readOnly         a second login to the same database, for what only reads (checks, throttle probes, a
 *                         backfill's source): a role that may not write, so a runbook's SQL cannot either; null: reads
 *                         use this login too (in read-only transactions)
 */
public record ConnectionSettings(String name, String url, String user, String password, Duration lockTimeout,
                                 Duration statementTimeout, ReadOnlyLogin readOnly) {

    /**
     * The read-only login of a connection: its user and password, and a URL only when it differs from the
     * connection's (another host name for a replica, say).
     */
    public record ReadOnlyLogin(String url, String user, String password) {

        @Override
        public String toString() {
            return "ReadOnlyLogin[url=" + url + ", user=" + user + ", password=***]";
        }
    }

    /**
     * The lock timeout of every connection that names none: 5 s. A migration's statement that queues behind a long
     * transaction (DDL behind a report, a chunk behind an application's row lock) gives up after this rather than
     * block every session that queues behind it in turn; the activity's retry tries again after a backoff.
     */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(5);

    public ConnectionSettings(String name, String url, String user, String password) {
        this(name, url, user, password, null, null);
    }

    public ConnectionSettings(String name, String url, String user, String password, Duration lockTimeout,
                              Duration statementTimeout) {
        this(name, url, user, password, lockTimeout, statementTimeout, null);
    }

    /** The same connection, read through {@code login}. */
    public ConnectionSettings withReadOnly(ReadOnlyLogin login) {
        return new ConnectionSettings(name, url, user, password, lockTimeout, statementTimeout, login);
    }

    /** The lock timeout in force: the connection's own, or {@link #DEFAULT_LOCK_TIMEOUT}. */
    public Duration lockTimeoutInForce() {
        return lockTimeout == null ? DEFAULT_LOCK_TIMEOUT : lockTimeout;
    }

    /**
     * How reads reach the database: the read-only login with this connection's timeouts (and its URL when the login
     * names none), or this connection itself when it has no read-only login.
     */
    public ConnectionSettings forReading() {
        if (readOnly == null) {
            return this;
        }
        return new ConnectionSettings(name, readOnly.url() == null ? url : readOnly.url(), readOnly.user(),
                readOnly.password(), lockTimeout, statementTimeout, null);
    }

    @Override
    public String toString() {
        return "ConnectionSettings[name=" + name + ", url=" + url + ", user=" + user + ", password=***, lockTimeout="
                + lockTimeoutInForce() + ", statementTimeout=" + statementTimeout
                + (readOnly == null ? "" : ", readOnly=" + readOnly) + "]";
    }
}
