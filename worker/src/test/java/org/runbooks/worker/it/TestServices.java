package org.runbooks.worker.it;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.containers.wait.strategy.Wait;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one place integration tests get their services from: the PostgreSQL cluster and Temporal dev server that
 * {@code .ci/run} started (it exports {@code RUNBOOKS_PG_*} and {@code TEMPORAL_ADDRESS}), or, where a Docker engine
 * exists and nothing was exported, Testcontainers. With neither, tests fail with the reason: they never skip.
 */
public final class TestServices {

    private static TestServices instance;

    private final String pgHost;
    private final int pgPort;
    private final String pgUser;
    private final String pgPassword;
    private final String temporalAddress;
    private final Path cli;

    private TestServices(String pgHost, int pgPort, String pgUser, String pgPassword, String temporalAddress) {
        this.pgHost = pgHost;
        this.pgPort = pgPort;
        this.pgUser = pgUser;
        this.pgPassword = pgPassword;
        this.temporalAddress = temporalAddress;
        this.cli = findCli();
    }

    public static synchronized TestServices get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static TestServices start() {
        String host = System.getenv("RUNBOOKS_PG_HOST");
        String address = System.getenv("TEMPORAL_ADDRESS");
        if (host != null && address != null) {
            return new TestServices(host, Integer.parseInt(System.getenv("RUNBOOKS_PG_PORT")),
                    env("RUNBOOKS_PG_USER", "postgres"), env("RUNBOOKS_PG_PASSWORD", ""), address);
        }
        if (DockerClientFactory.instance().isDockerAvailable()) {
            return fromContainers();
        }
        throw new IllegalStateException("integration tests need PostgreSQL and a Temporal dev server: run them "
                + "through `bash .ci/run` (or `bash scripts/with-services.sh mvn verify`), which starts both, or on "
                + "a machine with a Docker engine for Testcontainers");
    }

    @SuppressWarnings("resource") // containers live as long as the test JVM
    private static TestServices fromContainers() {
        PostgreSQLContainer<?> pg = new PostgreSQLContainer<>("postgres:15");
        pg.start();
        GenericContainer<?> temporal = new GenericContainer<>("temporalio/temporal:1.5.1")
                .withCommand("server", "start-dev", "--ip", "0.0.0.0")
                .withExposedPorts(7233)
                .waitingFor(Wait.forListeningPort());
        temporal.start();
        return new TestServices(pg.getHost(), pg.getFirstMappedPort(), pg.getUsername(), pg.getPassword(),
                temporal.getHost() + ":" + temporal.getMappedPort(7233));
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    private static Path findCli() {
        String configured = System.getenv("RUNBOOKS_TEMPORAL_CLI");
        if (configured != null) {
            return Path.of(configured);
        }
        Path tools = Path.of("..", ".tools", "bin", "temporal").toAbsolutePath().normalize();
        if (Files.isExecutable(tools)) {
            return tools;
        }
        return Path.of("temporal");
    }

    public String temporalAddress() {
        return temporalAddress;
    }

    public Path temporalCli() {
        return cli;
    }

    public String pgUser() {
        return pgUser;
    }

    /**
     * The password the worker is configured with. The cluster {@code .ci/run} starts trusts loopback connections and
     * ignores it, so a marker stands in for an empty one: tests can then assert it appears in no history.
     */
    public String pgPassword() {
        return pgPassword.isEmpty() ? "marker-password-never-in-history" : pgPassword;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + database;
    }

    /** Creates an empty database (dropping one of the same name) and returns its JDBC URL. */
    public String freshDatabase(String name) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), pgUser, pgPassword);
             Statement st = c.createStatement()) {
            st.execute("drop database if exists " + name + " with (force)");
            st.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return jdbcUrl(name);
    }

    public Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, pgUser, pgPassword);
    }
}
