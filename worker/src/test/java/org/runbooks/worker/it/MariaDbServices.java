package org.runbooks.worker.it;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The MariaDB server of the generic JDBC path's integration tests: the one {@code scripts/services.sh} started from
 * Debian's {@code mariadb-server} (it exports {@code RUNBOOKS_MARIADB_*}), or a Testcontainers one where a Docker
 * engine exists. With neither, the tests fail with the reason, under {@code CI=true} and locally alike: they never
 * skip, as {@link TestServices}' do not.
 */
public final class MariaDbServices {

    private static MariaDbServices instance;

    private final String host;
    private final int port;
    private final String user;
    private final String password;

    private MariaDbServices(String host, int port, String user, String password) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    public static synchronized MariaDbServices get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static MariaDbServices start() {
        String host = System.getenv("RUNBOOKS_MARIADB_HOST");
        if (host != null) {
            return new MariaDbServices(host, Integer.parseInt(System.getenv("RUNBOOKS_MARIADB_PORT")),
                    System.getenv("RUNBOOKS_MARIADB_USER"), System.getenv("RUNBOOKS_MARIADB_PASSWORD"));
        }
        if (DockerClientFactory.instance().isDockerAvailable()) {
            return fromContainer();
        }
        throw new IllegalStateException("no MariaDB server: RUNBOOKS_MARIADB_HOST is not set and no Docker engine"
                + " exists; install Debian's mariadb-server (.ci/run does) and run the tests through"
                + " scripts/with-services.sh, which starts one");
    }

    @SuppressWarnings("resource") // the container lives as long as the test JVM
    private static MariaDbServices fromContainer() {
        GenericContainer<?> mariaDb = new GenericContainer<>("mariadb:10.11")
                .withEnv(Map.of("MARIADB_ROOT_PASSWORD", "runbooks-test-only"))
                .withExposedPorts(3306)
                .waitingFor(Wait.forLogMessage(".*ready for connections.*\\n", 2));
        mariaDb.start();
        return new MariaDbServices(mariaDb.getHost(), mariaDb.getMappedPort(3306), "root", "runbooks-test-only");
    }

    public String url(String database) {
        return "jdbc:mariadb://" + host + ":" + port + "/" + database;
    }

    /** Creates an empty database (dropping one of the same name) and returns its JDBC URL. */
    public String freshDatabase(String name) {
        try (Connection c = DriverManager.getConnection(url(""), user, password);
             Statement st = c.createStatement()) {
            st.execute("drop database if exists " + name);
            st.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create MariaDB database " + name + ": " + e.getMessage(), e);
        }
        return url(name);
    }

    public Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** The worker settings that make {@code name} a connection to {@code url} with this server's credentials. */
    public Map<String, Object> connection(String name, String url) {
        return Map.of("runbooks.connections." + name + ".url", url,
                "runbooks.connections." + name + ".user", user,
                "runbooks.connections." + name + ".password", password);
    }
}
