package org.runbooks.worker.it.drills;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A throwaway PostgreSQL cluster of the drill's own, on a free loopback port, that the drill can stop and start
 * again to take a database away from the worker. Built like {@code scripts/services.sh} builds the shared one
 * (initdb with trust authentication, durability off), from the binaries in {@code RUNBOOKS_PG_BIN}.
 */
final class PostgresCluster implements AutoCloseable {

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final int port;

    private PostgresCluster(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
    }

    /** Creates and starts a cluster whose superuser is {@code user} (the shared test server's user). */
    static PostgresCluster start(String user) throws IOException, InterruptedException {
        String configured = System.getenv("RUNBOOKS_PG_BIN");
        Path bin = Path.of(configured == null || configured.isBlank() ? "/usr/lib/postgresql/15/bin" : configured);
        Path dir = Files.createTempDirectory("runbooks-drill-pg");
        if (LocalProcesses.isRoot()) {
            LocalProcesses.run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
        }
        PostgresCluster cluster = new PostgresCluster(bin, dir, LocalProcesses.freePort());
        LocalProcesses.runAsPostgres(List.of(bin.resolve("initdb").toString(), "-D", cluster.data.toString(),
                "--auth=trust", "--username=" + user, "--encoding=UTF8", "--locale=C", "--no-sync"));
        Files.writeString(cluster.data.resolve("postgresql.conf"), """

                listen_addresses = '127.0.0.1'
                port = %d
                unix_socket_directories = '%s'
                fsync = off
                synchronous_commit = off
                full_page_writes = off
                """.formatted(cluster.port, dir), java.nio.file.StandardOpenOption.APPEND);
        cluster.startServer();
        return cluster;
    }

    /** The JDBC URL of the cluster's {@code postgres} database. */
    String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** A fast shutdown: open connections are cut, new ones are refused until {@link #startServer()}. */
    void stopServer() throws IOException, InterruptedException {
        LocalProcesses.runAsPostgres(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast",
                "-w", "stop"));
    }

    void startServer() throws IOException, InterruptedException {
        LocalProcesses.runAsPostgres(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(),
                "-l", dir.resolve("postgres.log").toString(), "-w", "start"));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            stopServer();
        }
        LocalProcesses.run(List.of("rm", "-rf", dir.toString()));
    }
}
