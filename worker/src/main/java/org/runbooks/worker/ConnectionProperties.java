package org.runbooks.worker;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;

/**
 * One named connection, under {@code runbooks.connections.<name>}: {@code url} (JDBC), {@code user} and
 * {@code password}, and optionally {@code lock-timeout} (default 5s) and {@code statement-timeout} (default none),
 * which every statement the worker runs on it gets, and {@code max-connections}: the most connections this worker
 * holds open to it at once (default {@value #DEFAULT_MAX_CONNECTIONS}); work that needs one more waits for one to be
 * returned. Optionally {@code read-only: { user, password, url }}: a second login, a role that may only read, on
 * which checks (KPI and assertion SQL, table comparisons), throttle queries and a backfill's source reads (its
 * {@code from.query}) run; {@code url} defaults to the connection's. Without it they run with the connection's own
 * login, still in read-only transactions, and {@code plan} warns. Runbooks use the name; the credentials never
 * leave the worker.
 */
@EachProperty("runbooks.connections")
public class ConnectionProperties {

    /** Default cap on one worker's connections to one named database: 10. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10;

    private final String name;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private String url;
    private String user;
    private String password;
    private java.time.Duration lockTimeout;
    private java.time.Duration statementTimeout;
    private java.util.Map<String, String> readOnly = java.util.Map.of();

    public ConnectionProperties(@Parameter String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public int getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("runbooks.connections." + name + ".max-connections must be at least 1, "
                    + "not " + maxConnections);
        }
        this.maxConnections = maxConnections;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public java.time.Duration getLockTimeout() {
        return lockTimeout;
    }

    public void setLockTimeout(java.time.Duration lockTimeout) {
        this.lockTimeout = lockTimeout;
    }

    public java.time.Duration getStatementTimeout() {
        return statementTimeout;
    }

    public void setStatementTimeout(java.time.Duration statementTimeout) {
        this.statementTimeout = statementTimeout;
    }

    public java.util.Map<String, String> getReadOnly() {
        return readOnly;
    }

    /** {@code read-only.user}, {@code read-only.password} and {@code read-only.url}; any other key is refused. */
    public void setReadOnly(java.util.Map<String, String> readOnly) {
        java.util.Map<String, String> given = readOnly == null ? java.util.Map.of() : readOnly;
        java.util.Set<String> unknown = new java.util.TreeSet<>(given.keySet());
        unknown.removeAll(java.util.Set.of("user", "password", "url"));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("runbooks.connections." + name + ".read-only takes user, password and "
                    + "url, not " + unknown);
        }
        if (!given.isEmpty() && given.get("user") == null) {
            throw new IllegalArgumentException("runbooks.connections." + name + ".read-only needs a user");
        }
        this.readOnly = java.util.Collections.unmodifiableMap(new java.util.HashMap<>(given));
    }

    /** The read-only login, or null when the connection has none. */
    public org.runbooks.jdbc.connect.ConnectionSettings.ReadOnlyLogin readOnlyLogin() {
        return readOnly.isEmpty() ? null : new org.runbooks.jdbc.connect.ConnectionSettings.ReadOnlyLogin(
                readOnly.get("url"), readOnly.get("user"), readOnly.get("password"));
    }

    /** Reads a connection's URL by name, for the few places that must know which kind of database it is. */
    @jakarta.inject.Singleton
    public static class Lookup {

        private final java.util.List<ConnectionProperties> connections;

        public Lookup(java.util.List<ConnectionProperties> connections) {
            this.connections = connections;
        }

        public boolean isH2(String name) {
            return connections.stream().anyMatch(c -> c.getName().equals(name)
                    && c.getUrl() != null && c.getUrl().startsWith("jdbc:h2:"));
        }
    }
}
