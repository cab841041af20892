package org.runbooks.preflight;

import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.jdbc.connect.UnknownConnectionException;
import org.runbooks.jdbc.dialect.Dialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The connections one pre-flight run has opened, each opened once, read-only, on first use. A connection that
 * cannot be opened is reported once, at the first field that names it; later steps on it are skipped quietly. What
 * the steps will read with a connection's read-only login (checks, throttle queries, a backfill's source) is checked
 * on that login too ({@link #readingCatalog}), so a role that lacks a grant is found before the runbook starts.
 */
final class OpenConnections implements AutoCloseable {

    /**
     * Longest pre-flight waits for a connection to open: 5 s, shorter than the registry's own login timeout, so that a
     * database that does not answer is reported quickly. A connection that opens later is closed at once.
     */
    static final Duration CONNECT_WAIT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(OpenConnections.class);

    private final ConnectionRegistry registry;
    private final Map<String, Connection> open = new LinkedHashMap<>();
    private final Map<String, Catalog> catalogs = new LinkedHashMap<>();
    private final Set<String> failed = new HashSet<>();
    private final Map<String, Connection> openForReading = new LinkedHashMap<>();
    private final Map<String, Catalog> readingCatalogs = new LinkedHashMap<>();
    private final Set<String> readingFailed = new HashSet<>();

    OpenConnections(ConnectionRegistry registry) {
        this.registry = registry;
    }

    /**
     * The catalog of connection {@code name}, or empty when it cannot be reached; then an ERROR at {@code field}
     * says why, the first time only.
     */
    Optional<Catalog> catalog(String name, StepFindings at, String field) {
        return catalog(name, at, field, false, open, catalogs, failed);
    }

    /**
     * The catalog of what the steps read on {@code name}: its read-only login when the worker names one, else the same
     * as {@link #catalog}.
     */
    Optional<Catalog> readingCatalog(String name, StepFindings at, String field) {
        if (name == null || !registry.names().contains(name) || !registry.hasReadOnlyLogin(name)) {
            return catalog(name, at, field);
        }
        return catalog(name, at, field, true, openForReading, readingCatalogs, readingFailed);
    }

    private Optional<Catalog> catalog(String name, StepFindings at, String field, boolean reading,
                                      Map<String, Connection> open, Map<String, Catalog> catalogs, Set<String> failed) {
        if (name == null || failed.contains(name)) {
            return Optional.empty();
        }
        Catalog known = catalogs.get(name);
        if (known != null) {
            return Optional.of(known);
        }
        String login = reading ? " with its read-only login" : "";
        try {
            Dialect dialect = registry.dialect(name);
            Connection connection = openWithin(name, reading);
            open.put(name, connection);
            Catalog catalog = Catalog.of(connection, dialect);
            catalogs.put(name, catalog);
            return Optional.of(catalog);
        } catch (UnknownConnectionException e) {
            at.error(field, e.getMessage());
        } catch (IllegalArgumentException e) {
            at.error(field, "connection '" + name + "' cannot be checked: " + SqlProblems.scrub(e.getMessage()));
        } catch (TimeoutException e) {
            at.unreachable(field, "connection '" + name + "' did not answer" + login + " within "
                    + CONNECT_WAIT.toSeconds() + " s");
        } catch (Exception e) {
            at.unreachable(field, "connection '" + name + "' is unreachable" + login + ": " + SqlProblems.describe(e));
        }
        failed.add(name);
        return Optional.empty();
    }

    private Connection openWithin(String name, boolean reading) throws Exception {
        CompletableFuture<Connection> opening = CompletableFuture.supplyAsync(() -> {
            try {
                if (reading) {
                    return registry.openForReading(name);
                }
                Connection c = registry.open(name);
                c.setReadOnly(true);
                return c;
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        }, command -> Thread.ofVirtual().name("preflight-connect-" + name).start(command));
        try {
            return opening.get(CONNECT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            opening.thenAccept(OpenConnections::closeQuietly);
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    @Override
    public void close() {
        open.values().forEach(OpenConnections::closeQuietly);
        openForReading.values().forEach(OpenConnections::closeQuietly);
        open.clear();
        openForReading.clear();
        catalogs.clear();
        readingCatalogs.clear();
    }

    private static void closeQuietly(Connection c) {
        try {
            c.rollback();
            c.close();
        } catch (SQLException e) {
            log.debug("closing a pre-flight connection failed: {}", SqlProblems.describe(e));
        }
    }
}
