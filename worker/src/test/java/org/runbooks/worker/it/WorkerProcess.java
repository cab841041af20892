package org.runbooks.worker.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The worker as its own operating-system process, started from the shaded jar that {@code mvn package} built, so a
 * test can kill it with SIGKILL the way a crashed host would.
 */
public final class WorkerProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "runbooks-worker.jar");

    private final Process process;
    private final Path log;

    private WorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static WorkerProcess start(TestServices services, String legacyUrl, String targetUrl, String logName)
            throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the tests through `mvn verify`, "
                    + "which packages the worker before the integration tests");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java,
                "-Dmicronaut.server.port=-1",
                "-Dtemporal.target=" + services.temporalAddress(),
                "-Drunbooks.base-dir=..",
                "-Drunbooks.connections.legacy.url=" + legacyUrl,
                "-Drunbooks.connections.legacy.user=" + services.pgUser(),
                "-Drunbooks.connections.target.url=" + targetUrl,
                "-Drunbooks.connections.target.user=" + services.pgUser(),
                "-jar", JAR.toString()));
        Path log = Path.of("target", logName);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // Credentials reach the worker through its environment, as in production, not on the command line.
        builder.environment().put("RUNBOOKS_CONNECTIONS_LEGACY_PASSWORD", services.pgPassword());
        builder.environment().put("RUNBOOKS_CONNECTIONS_TARGET_PASSWORD", services.pgPassword());
        WorkerProcess worker = new WorkerProcess(builder.start(), log);
        worker.awaitLog("worker polling task queue", Duration.ofSeconds(60));
        return worker;
    }

    /** SIGKILL: no shutdown hook runs, no activity gets to finish or report. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    private void awaitLog(String text, Duration timeout) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("worker exited during start-up; log:\n" + Files.readString(log));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("worker did not start in " + timeout + "; log:\n" + Files.readString(log));
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }
}
