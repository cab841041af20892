package org.runbooks.jdbc.connect;

import java.time.Duration;

/**
 * How to reach one named database. The password stays on the worker; {@link #toString()} never shows it.
 *
 * @param lockTimeout      how long any statement the worker runs waits for a lock before it fails (and its activity
 *                         retries with backoff); null: {@link #DEFAULT_LOCK_TIMEOUT}
 * @param statementTimeout how long any statement may run; null or zero: no limit
 */
public record ConnectionSettings(String name, String url, String user, String password, Duration lockTimeout,
                                 Duration statementTimeout) {

    /**
     * The lock timeout of every connection that names none: 5 s. A migration's statement that queues behind a long
     * transaction (DDL behind a report, a chunk behind an application's row lock) gives up after this rather than
     * block every session that queues behind it in turn; the activity's retry tries again after a backoff.
     */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(5);

    public ConnectionSettings(String name, String url, String user, String password) {
        this(name, url, user, password, null, null);
    }

    /** The lock timeout in force: the connection's own, or {@link #DEFAULT_LOCK_TIMEOUT}. */
    public Duration lockTimeoutInForce() {
        return lockTimeout == null ? DEFAULT_LOCK_TIMEOUT : lockTimeout;
    }

    @Override
    public String toString() {
        return "ConnectionSettings[name=" + name + ", url=" + url + ", user=" + user + ", password=***, lockTimeout="
                + lockTimeoutInForce() + ", statementTimeout=" + statementTimeout + "]";
    }
}
