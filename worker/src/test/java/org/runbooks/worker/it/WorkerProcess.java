package org.runbooks.worker.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
        return start(Settings.of(services, legacyUrl, targetUrl), logName);
    }

    /** Starts a worker with these settings, appending its output to target/{@code logName}. */
    public static WorkerProcess start(Settings settings, String logName) throws IOException {
        return start(settings, logName, Map.of());
    }

    /**
     * As {@link #start(Settings, String)}, with these environment variables set (an empty value removes one). A null
     * Temporal address leaves the worker to find Temporal from its environment, as in production.
     */
    public static WorkerProcess start(Settings settings, String logName, Map<String, String> env) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the tests through `mvn verify`, "
                    + "which packages the worker before the integration tests");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(launchFlags(java));
        // The tests' runbooks live all over the repository (drill runbooks among the test resources), named from its root.
        command.addAll(List.of("-Dmicronaut.server.port=-1", "-Drunbooks.base-dir=..", "-Drunbooks.working-dir=.."));
        if (settings.temporalAddress() != null) {
            command.add("-Dtemporal.target=" + settings.temporalAddress());
        }
        settings.connections().forEach((name, url) -> {
            command.add("-Drunbooks.connections." + name + ".url=" + url);
            command.add("-Drunbooks.connections." + name + ".user=" + settings.user());
        });
        settings.properties().forEach((name, value) -> command.add("-D" + name + "=" + value));
        command.addAll(List.of("-jar", JAR.toString()));
        Path log = Path.of("target", logName);
        // A restarted worker appends to the same log: only what this process writes counts as its start-up.
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // Credentials reach the worker through its environment, as in production, not on the command line.
        settings.connections().keySet().forEach(name -> builder.environment().put(
                "RUNBOOKS_CONNECTIONS_" + name.toUpperCase(Locale.ROOT) + "_PASSWORD", settings.password()));
        env.forEach((name, value) -> {
            if (value.isEmpty()) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        WorkerProcess worker = new WorkerProcess(builder.start(), log);
        worker.awaitLog("worker polling task queue", logStart, Duration.ofSeconds(60));
        return worker;
    }

    /** The JVM flags scripts/services.sh starts a worker with, for this {@code java}, as the demo uses them. */
    private static List<String> launchFlags(String java) throws IOException {
        Process flags = new ProcessBuilder("bash", "-c",
                "source ../scripts/services.sh && services_worker_java_flags \"$1\"", "flags", java)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String printed = new String(flags.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (flags.waitFor() != 0) {
                throw new IllegalStateException("services_worker_java_flags exited " + flags.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return printed.isBlank() ? List.of() : List.of(printed.strip().split(" "));
    }

    /**
     * What a worker process is pointed at: a Temporal server, connections by name (in order) that all log in as
     * {@code user} with {@code password}, and any other configuration as system properties.
     */
    public record Settings(String temporalAddress, Map<String, String> connections, String user, String password,
                           Map<String, String> properties) {

        /** The test services' Temporal server, and {@code legacy} and {@code target} with the test credentials. */
        public static Settings of(TestServices services, String legacyUrl, String targetUrl) {
            Map<String, String> connections = new LinkedHashMap<>();
            connections.put("legacy", legacyUrl);
            connections.put("target", targetUrl);
            return new Settings(services.temporalAddress(), connections, services.pgUser(), services.pgPassword(),
                    Map.of());
        }

        public Settings withTemporal(String address) {
            return new Settings(address, connections, user, password, properties);
        }

        public Settings withPassword(String secret) {
            return new Settings(temporalAddress, connections, user, secret, properties);
        }

        public Settings withConnection(String name, String url) {
            Map<String, String> more = new LinkedHashMap<>(connections);
            more.put(name, url);
            return new Settings(temporalAddress, more, user, password, properties);
        }

        public Settings withProperty(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(properties);
            more.put(name, value);
            return new Settings(temporalAddress, connections, user, password, more);
        }
    }

    /** The worker's process id, which starts its Temporal identity ({@code pid@host}). */
    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook runs, no activity gets to finish or report. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** The file the worker writes its log to (appended to across restarts that use the same name). */
    public Path log() {
        return log;
    }

    /** What the log holds after its first {@code from} bytes. */
    private String since(long from) throws IOException {
        byte[] bytes = Files.readAllBytes(log);
        return new String(bytes, (int) from, bytes.length - (int) from, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void awaitLog(String text, long from, Duration timeout) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(log) && since(from).contains(text)) {
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
