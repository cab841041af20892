package org.runbooks.worker;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import org.runbooks.jdbc.connect.ConnectionRegistry;

import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ready only while every configured connection answers: each readiness probe opens one connection per name (and one
 * with its read-only login, when it has one, shown as {@code <name> (read-only)}) and asks the driver whether it is
 * valid. The detail says which name failed and why (never its credentials).
 */
@Readiness
@Singleton
@Requires(notEnv = Environment.CLI)
public class DatabaseReadiness extends AbstractHealthIndicator<Map<String, String>> {

    /** Longest a connection's validity check may take: 2 s. */
    static final int VALID_WITHIN_SECONDS = 2;

    private final ConnectionRegistry connections;

    public DatabaseReadiness(ConnectionRegistry connections) {
        this.connections = connections;
    }

    @Override
    protected String getName() {
        return "databases";
    }

    @Override
    protected Map<String, String> getHealthInformation() {
        Map<String, String> details = new LinkedHashMap<>();
        healthStatus = HealthStatus.UP;
        for (String name : connections.names()) {
            check(details, name, () -> connections.open(name));
            if (connections.hasReadOnlyLogin(name)) {
                check(details, name + " (read-only)", () -> connections.openForReading(name));
            }
        }
        return details;
    }

    /** How a probe opens one connection. */
    @FunctionalInterface
    private interface Opening {
        Connection open() throws Exception;
    }

    private void check(Map<String, String> details, String label, Opening opening) {
        try (Connection c = opening.open()) {
            details.put(label, c.isValid(VALID_WITHIN_SECONDS) ? "UP" : "not valid");
        } catch (Exception e) {
            details.put(label, "DOWN: " + e.getMessage());
        }
        if (!"UP".equals(details.get(label))) {
            healthStatus = HealthStatus.DOWN;
        }
    }
}
