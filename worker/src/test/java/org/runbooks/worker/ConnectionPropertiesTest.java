package org.runbooks.worker;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.runbooks.worker.pool.CappedConnectionRegistry;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A connection's read-only login binds from {@code runbooks.connections.<name>.read-only} in the worker's
 * configuration: reads then log in as it, everything else as the connection's own user, and readiness checks both. The whole application context
 * starts (without its HTTP server), on throwaway in-memory databases.
 */
class ConnectionPropertiesTest {

    @Test
    void aReadOnlyLoginIsWhatReadsLogInAs() throws Exception {
        String suffix = Long.toHexString(System.nanoTime());
        Map<String, Object> properties = inMemory(suffix);
        properties.put("runbooks.connections.legacy.user", "writer");
        properties.put("runbooks.connections.legacy.password", "w");
        properties.put("runbooks.connections.legacy.read-only.user", "reader");
        properties.put("runbooks.connections.legacy.read-only.password", "r");
        // H2 makes the user it is first opened with its administrator; the reader must exist before it logs in, and be
        // an administrator too, since H2 lets only those set a session's time zone (which every worker session does).
        try (Connection setup = java.sql.DriverManager.getConnection(
                (String) properties.get("runbooks.connections.legacy.url"), "writer", "w")) {
            setup.createStatement().execute("create user reader password 'r' admin");

            try (ApplicationContext context = ApplicationContext.run(properties)) {
                CappedConnectionRegistry connections = context.getBean(CappedConnectionRegistry.class);

                assertThat(connections.hasReadOnlyLogin("legacy")).isTrue();
                assertThat(connections.hasReadOnlyLogin("target")).isFalse();
                assertThat(userOf(connections.openForReading("legacy"))).isEqualToIgnoringCase("reader");
                assertThat(userOf(connections.open("legacy"))).isEqualToIgnoringCase("writer");
                assertThat(context.getBean(DatabaseReadiness.class).getHealthInformation())
                        .containsEntry("legacy", "UP").containsEntry("legacy (read-only)", "UP")
                        .doesNotContainKey("target (read-only)");
            }
            properties.put("runbooks.connections.legacy.read-only.password", "wrong");
            try (ApplicationContext context = ApplicationContext.run(properties)) {
                assertThat(context.getBean(DatabaseReadiness.class).getHealthInformation().get("legacy (read-only)"))
                        .as("readiness names the read-only login that cannot log in").startsWith("DOWN: ");
            }
        }
    }

    @Test
    void aReadOnlyLoginWithAnUnknownKeyStopsTheWorkerNamingIt() {
        Map<String, Object> properties = inMemory(Long.toHexString(System.nanoTime()));
        properties.put("runbooks.connections.legacy.read-only.user", "reader");
        properties.put("runbooks.connections.legacy.read-only.pasword", "typo");

        Throwable thrown = catchThrowable(() -> ApplicationContext.run(properties).getBean(
                CappedConnectionRegistry.class));

        assertThat(thrown).isNotNull();
        Throwable cause = thrown;
        while (!(cause instanceof IllegalArgumentException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertThat(cause).hasMessage("runbooks.connections.legacy.read-only takes user, password and url, not "
                + "[pasword]");
    }

    private static String userOf(Connection connection) throws Exception {
        try (connection; ResultSet rs = connection.createStatement().executeQuery("select current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Map<String, Object> inMemory(String suffix) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("runbooks.connections.legacy.url", "jdbc:h2:mem:legacy" + suffix
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
        properties.put("runbooks.connections.target.url", "jdbc:h2:mem:target" + suffix
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE");
        properties.put("runbooks.demo.seed-rows", "10");
        return properties;
    }
}
