package org.runbooks.worker.it.drills;

import org.runbooks.worker.it.Awaits;
import org.runbooks.worker.it.TemporalCli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A Temporal dev server of the drill's own, on a free port, that keeps its state in a file ({@code --db-filename})
 * so it can be stopped and started again with every workflow where it was. Started like {@code scripts/services.sh}
 * starts the shared one, with the search attributes the workflows upsert registered up front.
 */
final class DevServer implements AutoCloseable {

    private final Path cli;
    private final Path dir;
    private final int port;
    private Process process;

    private DevServer(Path cli, Path dir, int port) {
        this.cli = cli;
        this.dir = dir;
        this.port = port;
    }

    static DevServer start(Path cli) throws Exception {
        DevServer server = new DevServer(cli, Files.createTempDirectory("runbooks-drill-temporal"),
                LocalProcesses.freePort());
        server.startServer();
        return server;
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    TemporalCli temporal() {
        return new TemporalCli(cli, address());
    }

    /** Starts the server on the same port and state file, and waits until it answers a health check. */
    void startServer() throws Exception {
        List<String> command = List.of(cli.toString(), "server", "start-dev", "--headless", "--ip", "127.0.0.1",
                "--port", String.valueOf(port), "--db-filename", dir.resolve("temporal.db").toString(),
                "--log-level", "warn",
                "--search-attribute", "RunbookName=Keyword", "--search-attribute", "RunbookPhase=Keyword",
                "--search-attribute", "RunbookState=Keyword", "--search-attribute", "RunbookWaitingOn=Keyword",
                "--search-attribute", "RunbookOutcome=Keyword");
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("temporal.log").toFile())).start();
        TemporalCli temporal = temporal();
        Awaits.until("the drill's dev server on " + address() + " to answer", Duration.ofSeconds(90),
                Duration.ofMillis(500), () -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("dev server exited:\n"
                                + Files.readString(dir.resolve("temporal.log")));
                    }
                    return temporal.tryRun("temporal operator cluster health").exitCode();
                }, code -> code == 0);
    }

    /** SIGTERM, as an operator's restart sends; the state file keeps every workflow. */
    void stopServer() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            stopServer();
        }
        LocalProcesses.run(List.of("rm", "-rf", dir.toString()));
    }
}
