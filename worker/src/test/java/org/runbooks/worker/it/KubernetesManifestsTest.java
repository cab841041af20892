package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/kubernetes: README's validation command (kubeconform against Kubernetes' schemas, offline) passes on the
 * manifests and fails on a broken copy; the Deployment probes the worker's health endpoints, is scraped by
 * Prometheus, runs as non-root, mounts application.yml from the ConfigMap and takes its secrets from the Secret.
 */
class KubernetesManifestsTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path MANIFESTS = REPO.resolve("deploy/kubernetes");

    @Test
    void readmesValidationCommandPassesOnTheManifests() throws Exception {
        Result result = run(ProductionReadme.command("validate-manifests.sh deploy/kubernetes"));
        assertThat(result.exit).as(result.out).isZero();
        assertThat(result.out).contains("Invalid: 0, Errors: 0, Skipped: 0").doesNotContain("Valid: 0,");
    }

    @Test
    void theValidationFailsOnABrokenManifest(@TempDir Path dir) throws Exception {
        String deployment = Files.readString(MANIFESTS.resolve("deployment.yaml"));
        Files.writeString(dir.resolve("deployment.yaml"), deployment
                .replace("replicas: 3", "replicas: three")
                .replace("readinessProbe:", "readinesProbe:"));
        Result result = run("bash scripts/validate-manifests.sh " + dir);
        assertThat(result.exit).as(result.out).isNotZero();
        assertThat(result.out).contains("/spec/replicas").contains("'readinesProbe' not allowed");
    }

    @Test
    void theDeploymentProbesScrapesMountsAndRunsAsNonRoot() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode pod = yaml.readTree(MANIFESTS.resolve("deployment.yaml").toFile()).at("/spec/template");
        JsonNode worker = pod.at("/spec/containers/0");
        assertThat(worker.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health/readiness");
        assertThat(worker.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health/liveness");
        assertThat(pod.at("/metadata/annotations/prometheus.io~1scrape").asText()).isEqualTo("true");
        assertThat(pod.at("/metadata/annotations/prometheus.io~1path").asText()).isEqualTo("/prometheus");
        assertThat(pod.at("/spec/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(worker.toString()).contains("MICRONAUT_CONFIG_FILES", "/etc/runbooks/application.yml",
                "\"TEMPORAL_API_KEY\"", "secretKeyRef");

        JsonNode config = yaml.readTree(MANIFESTS.resolve("configmap.yaml").toFile());
        JsonNode applicationYml = yaml.readTree(config.at("/data/application.yml").asText());
        assertThat(applicationYml.at("/micronaut/server/host").asText())
                .as("probes and Prometheus reach the pod's address, not only its loopback").isEqualTo("0.0.0.0");
        assertThat(config.at("/data/application.yml").asText()).doesNotContainPattern("password: [^$]");
    }

    private record Result(int exit, String out) {
    }

    private static Result run(String command) throws Exception {
        Process process = new ProcessBuilder("bash", "-c", command).directory(REPO.toFile())
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("`" + command + "` did not finish in 5 minutes:\n" + out);
        }
        return new Result(process.exitValue(), out);
    }
}
