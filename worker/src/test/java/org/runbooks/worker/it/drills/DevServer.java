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
 * starts the shared one, with the search attributes the workflows upsert registered up front. Headless, or with its
 * Web UI on a port of its own and, when given, the UI's codec endpoint ({@code --ui-codec-endpoint}).
 */
public final class DevServer implements AutoCloseable {

    private final Path cli;
    private final Path dir;
    private final int port;
    private final int uiPort;
    private String codecEndpoint;
    private Process process;

    private DevServer(Path cli, Path dir, int port, int uiPort) {
        this.cli = cli;
        this.dir = dir;
        this.port = port;
        this.uiPort = uiPort;
    }

    static DevServer start(Path cli) throws Exception {
        DevServer server = new DevServer(cli, Files.createTempDirectory("runbooks-drill-temporal"),
                LocalProcesses.freePort(), 0);
        server.startServer();
        return server;
    }

    /** A server whose Web UI listens on {@code uiPort}, not started yet: set its codec endpoint, then start it. */
    public static DevServer withUi(Path cli, int uiPort) throws Exception {
        return new DevServer(cli, Files.createTempDirectory("runbooks-ui-temporal"), LocalProcesses.freePort(),
                uiPort);
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    /** The Web UI's origin (also the base of its pages). */
    public String uiUrl() {
        return "http://127.0.0.1:" + uiPort;
    }

    public TemporalCli temporal() {
        return new TemporalCli(cli, address());
    }

    /** The codec endpoint the Web UI is started with from the next {@link #startServer()} on; null for none. */
    public void uiCodecEndpoint(String endpoint) {
        this.codecEndpoint = endpoint;
    }

    /** Starts the server on the same port and state file, and waits until it answers a health check. */
    public void startServer() throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(cli.toString(), "server", "start-dev",
                "--ip", "127.0.0.1",
                "--port", String.valueOf(port), "--db-filename", dir.resolve("temporal.db").toString(),
                "--log-level", "warn",
                "--search-attribute", "RunbookName=Keyword", "--search-attribute", "RunbookPhase=Keyword",
                "--search-attribute", "RunbookState=Keyword", "--search-attribute", "RunbookWaitingOn=Keyword",
                "--search-attribute", "RunbookOutcome=Keyword"));
        if (uiPort == 0) {
            command.add("--headless");
        } else {
            command.addAll(List.of("--ui-port", String.valueOf(uiPort)));
        }
        if (codecEndpoint != null) {
            command.addAll(List.of("--ui-codec-endpoint", codecEndpoint));
        }
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
    public void stopServer() throws InterruptedException {
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
