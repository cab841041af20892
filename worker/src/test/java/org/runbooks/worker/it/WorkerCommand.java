package org.runbooks.worker.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the launcher with a subcommand from the repository root, as README writes it
 * ({@code bin/runbooks validate runbooks/orders-to-v2.yaml}), in a shell whose {@code java} is the system's JDK 17 and
 * with no {@code JAVA_HOME}, so the launcher must find a JDK 21+ itself; configured the way an operator configures
 * the worker, in the environment. Temporal is pointed at a port where nothing listens, to show that the subcommands
 * do not need it.
 */
final class WorkerCommand {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    private WorkerCommand() {
    }

    /** The PATH of a machine whose {@code java} is older than the worker needs (this one's is 17). */
    static final String OLD_JAVA_PATH = "/usr/bin:/bin";

    /** Runs {@code command}, which starts with {@code bin/runbooks}. */
    static Result run(TestServices services, String legacyUrl, String targetUrl, String command) throws Exception {
        return run(command, Map.of(
                "TEMPORAL_ADDRESS", "127.0.0.1:1",
                "RUNBOOKS_CONNECTIONS_LEGACY_URL", legacyUrl,
                "RUNBOOKS_CONNECTIONS_LEGACY_USER", services.pgUser(),
                "RUNBOOKS_CONNECTIONS_LEGACY_PASSWORD", services.pgPassword(),
                "RUNBOOKS_CONNECTIONS_TARGET_URL", targetUrl,
                "RUNBOOKS_CONNECTIONS_TARGET_USER", services.pgUser(),
                "RUNBOOKS_CONNECTIONS_TARGET_PASSWORD", services.pgPassword()));
    }

    /** Runs {@code command} with only HOME, {@link #OLD_JAVA_PATH} and {@code environment} in its environment. */
    static Result run(String command, Map<String, String> environment) throws Exception {
        List<String> words = new ArrayList<>(List.of(command.split(" ")));
        if (!words.getFirst().equals("bin/runbooks")) {
            throw new IllegalArgumentException("not a launcher command: " + command);
        }
        if (!Files.isRegularFile(REPOSITORY.resolve("worker/target/runbooks-worker.jar"))) {
            throw new IllegalStateException("the worker jar is missing: run the tests through `mvn verify`");
        }
        Path err = Files.createTempFile("worker-command", ".err");
        ProcessBuilder builder = new ProcessBuilder(words).directory(REPOSITORY.toFile())
                .redirectError(err.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> !name.equals("HOME"));
        env.put("PATH", OLD_JAVA_PATH);
        env.putAll(environment);
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
