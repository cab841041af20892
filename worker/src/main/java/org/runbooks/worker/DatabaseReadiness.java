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
 * Ready only while every configured connection answers: each readiness probe opens one connection per name and
 * asks the driver whether it is valid. The detail says which name failed and why (never its credentials).
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
            try (Connection c = connections.open(name)) {
                details.put(name, c.isValid(VALID_WITHIN_SECONDS) ? "UP" : "not valid");
            } catch (Exception e) {
                details.put(name, "DOWN: " + e.getMessage());
            }
            if (!"UP".equals(details.get(name))) {
                healthStatus = HealthStatus.DOWN;
            }
        }
        return details;
    }
}
