package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pastes the commands {@code scripts/demo.sh} prints, as printed, into a shell whose PATH has no {@code temporal}
 * (a new user's shell: the demo built the CLI into {@code .tools/bin}), and runs the runbook with them from start to
 * result against a real worker.
 */
class DemoCommandsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final String BARE_PATH = "/usr/bin:/bin";

    @Test
    void commandsTheDemoPrintsRunAsPrintedInAShellWithoutTemporalOnPath() throws Exception {
        TestServices services = TestServices.get();
        assertThat(shell("command -v temporal", null).exitCode()).as("no temporal on " + BARE_PATH).isNotZero();
        List<String> pasted = shell("source scripts/demo.sh && demo_try_commands '" + services.temporalCli() + "'",
                services.temporalAddress()).output().lines().filter(l -> l.startsWith("  ")).map(String::strip)
                .toList();
        List<String> setup = pasted.stream().filter(l -> !l.startsWith("temporal ")).toList();
        List<String> commands = pasted.stream().filter(l -> l.startsWith("temporal ")).toList();
        assertThat(commands).hasSize(4);

        OrdersDatabases dbs = new OrdersDatabases(services, "demo_commands", 1_000);
        try (WorkerProcess ignored = WorkerProcess.start(services, dbs.legacyUrl, dbs.targetUrl, "demo-commands.log")) {
            paste(setup, commands.get(0));
            Awaits.state(new TemporalCli(services), "AWAITING_APPROVAL");
            assertThat(paste(setup, commands.get(1))).contains("AWAITING_APPROVAL");
            paste(setup, commands.get(2));
            JsonNode result = JSON.readTree(paste(setup, commands.get(3)));
            assertThat(result.at("/result/outcome").asText()).isEqualTo("COMPLETED");
        }
        assertThat(dbs.targetChecksum()).isEqualTo(dbs.legacyChecksum());
    }

    /**
     * Runs {@code command} after the lines the demo printed before its commands, in a shell that knows neither the
     * CLI nor the server's address but from those lines; it must exit 0.
     */
    private static String paste(List<String> setup, String command) throws Exception {
        Shell run = shell(String.join("\n", setup) + "\n" + command, null);
        assertThat(run.exitCode()).as("`%s` exits 0; it printed:%n%s", command, run.output()).isZero();
        return run.output();
    }

    /** Runs {@code script} with only HOME, a PATH without temporal and, unless null, the demo's server address. */
    private static Shell shell(String script, String temporalAddress) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("/bin/bash", "-c", script).directory(REPO.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> !name.equals("HOME"));
        env.put("PATH", BARE_PATH);
        if (temporalAddress != null) {
            env.put("TEMPORAL_ADDRESS", temporalAddress);
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("`" + script + "` did not finish in 2 minutes");
        }
        return new Shell(process.exitValue(), output);
    }

    private record Shell(int exitCode, String output) {
    }
}
