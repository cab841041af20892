package org.runbooks.worker.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The commands of README's "Running in production" section, read from its {@code ```bash} blocks so the tests run
 * what README shows. {@link #TESTED} names the test that runs each; {@code ProductionReadmeTest} fails when the
 * section gains a command no test runs.
 */
final class ProductionReadme {

    static final Path FILE = Path.of("..", "README.md");

    /** Each command of the section, by a piece of its text, and the test that runs it. */
    static final Map<String, String> TESTED = Map.of(
            "temporal operator cluster health", "TemporalConnectionIT",
            "openssl rand -base64 32", "PayloadCodecIT",
            "temporal workflow show --workflow-id orders-to-v2 --codec-endpoint", "PayloadCodecIT",
            "set-current-version --deployment-name runbooks --build-id 1.4.0", "VersionedUpgradeIT",
            "set-current-version --deployment-name runbooks --build-id 1.5.0", "VersionedUpgradeIT",
            "describe-version --deployment-name runbooks --build-id 1.5.0", "VersionedUpgradeIT",
            "validate-manifests.sh deploy/kubernetes", "KubernetesManifestsTest");

    private ProductionReadme() {
    }

    /** Every command in the section's bash blocks. */
    static List<String> commands() throws IOException {
        String readme = Files.readString(FILE);
        int start = readme.indexOf("\n## Running in production\n");
        if (start < 0) {
            throw new IllegalStateException("README has no 'Running in production' section");
        }
        int end = readme.indexOf("\n## ", start + 1);
        return Cookbook.commands(readme.substring(start, end < 0 ? readme.length() : end));
    }

    /** The one command of the section that contains {@code piece}. */
    static String command(String piece) throws IOException {
        List<String> matching = commands().stream().filter(c -> c.contains(piece)).toList();
        if (matching.size() != 1) {
            throw new AssertionError("README's production section has " + matching.size() + " commands with '"
                    + piece + "': " + matching);
        }
        return matching.get(0);
    }

    /**
     * Runs {@code command} with bash, as an operator's shell would (variables expanded), with the test's Temporal
     * CLI first on the PATH and {@code env} exported; returns its standard output, failing on a non-zero exit.
     */
    static String shell(String command, TestServices services, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.put("PATH", services.temporalCli().toAbsolutePath().getParent() + ":" + environment.get("PATH"));
        environment.put("TEMPORAL_ADDRESS", services.temporalAddress());
        environment.putAll(new HashMap<>(env));
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new AssertionError("`" + command + "` failed:\n" + out);
        }
        return out;
    }
}
