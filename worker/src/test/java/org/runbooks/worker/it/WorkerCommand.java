package org.runbooks.worker.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the worker jar with a subcommand from the repository root, as README writes it
 * ({@code java -jar worker/target/runbooks-worker.jar validate runbooks/orders-to-v2.yaml}), configured the way an
 * operator configures the worker: connections as system properties, passwords in the environment. Temporal is
 * pointed at a port where nothing listens, to show that the subcommands do not need it.
 */
final class WorkerCommand {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    private WorkerCommand() {
    }

    /** Runs {@code command}, which starts with {@code java -jar worker/target/runbooks-worker.jar}. */
    static Result run(TestServices services, String legacyUrl, String targetUrl, String command) throws Exception {
        List<String> words = new ArrayList<>(List.of(command.split(" ")));
        if (!words.subList(0, 3).equals(List.of("java", "-jar", "worker/target/runbooks-worker.jar"))) {
            throw new IllegalArgumentException("not a worker command: " + command);
        }
        if (!Files.isRegularFile(REPOSITORY.resolve(words.get(2)))) {
            throw new IllegalStateException(words.get(2) + " is missing: run the tests through `mvn verify`");
        }
        words.set(0, ProcessHandle.current().info().command().orElse("java"));
        words.addAll(1, List.of(
                "-Dtemporal.target=127.0.0.1:1",
                "-Drunbooks.connections.legacy.url=" + legacyUrl,
                "-Drunbooks.connections.legacy.user=" + services.pgUser(),
                "-Drunbooks.connections.target.url=" + targetUrl,
                "-Drunbooks.connections.target.user=" + services.pgUser()));
        Path err = Files.createTempFile("worker-command", ".err");
        ProcessBuilder builder = new ProcessBuilder(words).directory(REPOSITORY.toFile())
                .redirectError(err.toFile());
        builder.environment().put("RUNBOOKS_CONNECTIONS_LEGACY_PASSWORD", services.pgPassword());
        builder.environment().put("RUNBOOKS_CONNECTIONS_TARGET_PASSWORD", services.pgPassword());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("`" + command + "` did not finish in 2 minutes");
        }
        Result result = new Result(process.exitValue(), out, Files.readString(err));
        Files.delete(err);
        return result;
    }

    record Result(int exitCode, String out, String err) {

        List<String> lines() {
            return out.lines().toList();
        }
    }
}
