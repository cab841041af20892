package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker's container image (Jib, {@code mvn -Pimage package}: worker/target/runbooks-worker-image.tar) run the
 * way a container runtime would, without one: its layers unpacked in order into a root directory, its entrypoint run
 * there with {@code chroot} as the image's user, in fresh mount and PID namespaces ({@code unshare}) with /proc,
 * the image's environment plus the deployment's, and {@code application.yml} at the path the Kubernetes ConfigMap
 * mounts it. The worker reaches readiness against the test services; SIGTERM stops it within the grace period.
 */
class ImageIT {

    private static final Path TAR = Path.of("target", "runbooks-worker-image.tar");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theImageRunsTheWorkerAsNonRootToReadinessAndStopsOnSigterm() throws Exception {
        assertThat(TAR).as("the image tar: build with `mvn -Pimage package` (.ci/run does)").isRegularFile();
        Path dir = Path.of("target", "image-it").toAbsolutePath();
        Path root = dir.resolve("root");
        run(List.of("rm", "-rf", dir.toString()));
        Files.createDirectories(root);
        run(List.of("tar", "-xf", TAR.toAbsolutePath().toString(), "-C", dir.toString(), "manifest.json"));
        JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile()).get(0);
        for (JsonNode layer : manifest.get("Layers")) {
            run(List.of("bash", "-c", "tar -xOf \"$1\" \"$2\" | tar -xz -C \"$3\"", "layers",
                    TAR.toAbsolutePath().toString(), layer.asText(), root.toString()));
        }
        run(List.of("tar", "-xf", TAR.toAbsolutePath().toString(), "-C", dir.toString(),
                manifest.get("Config").asText()));
        JsonNode config = JSON.readTree(dir.resolve(manifest.get("Config").asText()).toFile()).get("config");
        String user = config.get("User").asText();
        assertThat(user).isEqualTo("10001:10001");
        List<String> entrypoint = new ArrayList<>();
        config.get("Entrypoint").forEach(part -> entrypoint.add(part.asText()));
        assertThat(entrypoint).contains("org.runbooks.worker.Application");

        // What Kubernetes adds: /proc, and application.yml where deployment.yaml mounts it.
        Files.createDirectories(root.resolve("proc"));
        Files.createDirectories(root.resolve("etc/runbooks"));
        TestServices services = TestServices.get();
        OrdersDatabases dbs = new OrdersDatabases(services, "image_run", 100);
        int port = freePort();
        Files.writeString(root.resolve("etc/runbooks/application.yml"), """
                micronaut:
                  server: { host: 127.0.0.1, port: %d }
                runbooks:
                  reports: { dir: /tmp/reports }
                  connections:
                    legacy: { url: "%s", user: "%s", password: "${LEGACY_PASSWORD}" }
                    target: { url: "%s", user: "%s", password: "${TARGET_PASSWORD}" }
                    warehouse: { url: "%s", user: "%s", password: "${TARGET_PASSWORD}" }
                """.formatted(port, dbs.legacyUrl, services.pgUser(), dbs.targetUrl, services.pgUser(),
                dbs.targetUrl, services.pgUser()));

        List<String> command = new ArrayList<>(List.of("/usr/bin/unshare", "--mount", "--pid", "--fork",
                "--mount-proc=" + root.resolve("proc"), "/usr/sbin/chroot", "--userspec=" + user, root.toString()));
        command.addAll(entrypoint);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("worker.log").toFile());
        builder.environment().clear();
        config.get("Env").forEach(pair -> {
            String[] nameValue = pair.asText().split("=", 2);
            builder.environment().put(nameValue[0], nameValue[1]);
        });
        builder.environment().putAll(Map.of(
                "MICRONAUT_CONFIG_FILES", "/etc/runbooks/application.yml",
                "TEMPORAL_ADDRESS", services.temporalAddress(),
                "LEGACY_PASSWORD", services.pgPassword(),
                "TARGET_PASSWORD", services.pgPassword()));
        Process unshare = builder.start();
        try {
            HttpResponse<String> ready = Awaits.until("the image's worker to be ready", Duration.ofSeconds(120),
                    Duration.ofMillis(500), () -> {
                        if (!unshare.isAlive()) {
                            throw new IllegalStateException("the image's worker exited; log:\n"
                                    + Files.readString(dir.resolve("worker.log")));
                        }
                        return get("http://127.0.0.1:" + port + "/health/readiness");
                    }, r -> r != null && r.statusCode() == 200);
            assertThat(JSON.readTree(ready.body()).at("/details/temporal/status").asText()).isEqualTo("UP");

            ProcessHandle java = unshare.descendants()
                    .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                    .findFirst().orElseThrow(() -> new AssertionError("no java process under " + command));
            assertThat(java.info().command().orElseThrow()).as("the image's own runtime")
                    .startsWith(root.toString()).endsWith("/opt/java/bin/java");
            String status = Files.readString(Path.of("/proc", Long.toString(java.pid()), "status"));
            assertThat(status).containsPattern("(?m)^Uid:\\s+10001\\s").containsPattern("(?m)^Gid:\\s+10001\\s");

            long stopping = System.nanoTime();
            java.destroy(); // SIGTERM, as the kubelet sends
            assertThat(unshare.waitFor(30, TimeUnit.SECONDS)).as("stopped within the 30 s grace period").isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - stopping);
            String log = Files.readString(dir.resolve("worker.log"));
            assertThat(unshare.exitValue()).as("the JVM's exit after SIGTERM; log:\n" + log).isEqualTo(143);
            assertThat(log).contains("worker polling task queue", "Embedded Application shutting down", "shutdownNow")
                    .doesNotContain("had not stopped");
            System.out.println("image worker stopped " + took.toMillis() + " ms after SIGTERM");
        } finally {
            unshare.descendants().forEach(ProcessHandle::destroyForcibly);
            unshare.destroyForcibly();
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(command + " failed:\n" + out);
        }
    }
}
