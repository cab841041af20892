package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README's quick start, {@code bin/runbooks demo}, started as a new user starts it (a shell whose {@code java} is 17,
 * the Temporal CLI on PATH), and every runbook in runbooks/ run on it to its first gate or its end with the commands
 * README documents: the demo's embedded PostgreSQL, its connections, its webhook and its seeded tables must serve
 * them all without editing anything. Soaks are shortened; everything else is as shipped. Only the ports and the
 * demo's data directory are the test's own, so it cannot meet a demo a developer left running.
 */
class DemoIT {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path DIR = REPO.resolve("worker/target/demo-it");
    /** Shipped durations and what the test waits instead: the canary soak and its re-validation, the read-only soak. */
    private static final Map<String, String> SHORTER = Map.of("PT30M", "PT6S", "PT5M", "PT2S", "PT24H", "PT3S");

    @Test
    void readmeQuickStartIsTheDemoThisTestStarts() throws IOException {
        String readme = Files.readString(REPO.resolve("README.md"));
        String quickStart = readme.substring(readme.indexOf("## Quick start"), readme.indexOf("## Operator commands"));
        assertThat(quickStart).contains("```bash\nbin/runbooks demo ");
    }

    @Test
    void everyShippedRunbookRunsOnTheDemoToItsGateOrItsEnd() throws Exception {
        TestServices services = TestServices.get();
        TemporalCli temporal = new TemporalCli(services);
        deleteRecursively(DIR);
        Files.createDirectories(DIR.resolve("runbooks"));
        int pgPort = freePort();
        Path log = DIR.resolve("demo.log");
        List<String> started = new ArrayList<>();
        Process demo = startDemo(services, pgPort, log);
        try {
            Awaits.until("the demo's worker to start (" + log + ")", Duration.ofMinutes(3), Duration.ofMillis(500),
                    () -> demo.isAlive() ? Files.readString(log) : "EXITED\n" + Files.readString(log),
                    out -> out.contains("Startup completed") || out.startsWith("EXITED"));
            assertThat(demo.isAlive()).as(Files.readString(log)).isTrue();
            assertThat(scalar(pgPort, "legacy", "show wal_level")).isEqualTo("logical");

            Map<String, String> shipped = shippedRunbooks();
            assertThat(shipped).hasSizeGreaterThanOrEqualTo(4);
            shipped.forEach((name, file) -> {
                String id = "demo-" + name;
                temporal.run("temporal workflow start --type Runbook --task-queue runbooks --workflow-id " + id
                        + " --input '{\"file\":\"" + file + "\",\"startedBy\":\"alice\"}'");
                started.add(id);
            });

            Map<String, String> reached = new LinkedHashMap<>();
            for (String id : started) {
                JsonNode status = Awaits.status(temporal, "temporal workflow query --workflow-id " + id + " --name status",
                        s -> !s.at("/gate/gate").asText().isEmpty() || s.at("/state").asText().equals("COMPLETED")
                                || s.at("/state").asText().matches("FAILED|ROLLED_BACK|.*ROLLED_BACK|STEP_FAILED"));
                reached.put(id, status.at("/state").asText() + " " + status.at("/gate/gate").asText());
                assertThat(status.at("/evidence").findValues("passed")).as(id + " evidence")
                        .allSatisfy(passed -> assertThat(passed.asBoolean()).isTrue());
            }
            assertThat(reached).containsEntry("demo-orders-to-v2", "AWAITING_APPROVAL go-no-go")
                    .containsEntry("demo-customers-then-orders", "AWAITING_APPROVAL customers-go")
                    .containsEntry("demo-sales-wide-to-star", "AWAITING_APPROVAL go-no-go")
                    .containsEntry("demo-orders-zero-downtime", "AWAITING_APPROVAL go-no-go")
                    .allSatisfy((id, state) -> assertThat(state).matches("AWAITING_APPROVAL .+|COMPLETED "));
            assertThat(Files.readString(log)).as("the demo's webhook receiver prints what it gets")
                    .contains("demo webhook ops-channel got: runbook=orders-zero-downtime phase=canary"
                            + " step=announce-canary message=\"orders: 10% of reads now served by orders_v2\"");
            assertThat(scalar(pgPort, "target", "select count(*) from orders_v2")).isEqualTo("25000");
            assertThat(scalar(pgPort, "warehouse", "select count(*) from fact_sales")).isEqualTo("30000");

            findsWhatWaitsOnAPersonAndHowEachEnded(temporal, started);
        } finally {
            for (String id : started) {
                temporal.tryRun("temporal workflow terminate --workflow-id " + id + " --reason demo-it-done");
                // A stream outlives its runbook's termination until it next reports; the demo's database goes away.
                temporal.tryRun("temporal workflow terminate --workflow-id " + id + "/stream/orders-stream"
                        + " --reason demo-it-done");
            }
            stop(demo);
        }
        Awaits.until("the demo's PostgreSQL to stop with the demo", Duration.ofSeconds(30), Duration.ofMillis(250),
                () -> accepts(pgPort), accepting -> !accepting);
    }

    /**
     * README's list queries, as written: the one query for every runbook waiting on a person lists the four at their
     * gates, keeps one that is paused, and drops one once it is approved and one once it is rejected, which the
     * outcome query then lists; the saved view's query lists runbooks, not their phases.
     */
    private static void findsWhatWaitsOnAPersonAndHowEachEnded(TemporalCli temporal, List<String> ids)
            throws Exception {
        String waiting = readmeCommand("RunbookState IN (");
        String rolledBack = readmeCommand("RunbookOutcome=\"RolledBack\"");
        String runbooksOnly = readmeCommand("RunbookName IS NOT NULL");
        awaitList(temporal, waiting, out -> ids.stream().allMatch(out::contains));

        temporal.run("temporal workflow signal --workflow-id demo-customers-then-orders --name pause --input"
                + " '{\"by\":\"carol\",\"reason\":\"replica lag above 5s\"}'");
        temporal.run("temporal workflow signal --workflow-id demo-orders-to-v2 --name approve --input"
                + " '{\"gate\":\"go-no-go\",\"by\":\"dba-oncall\",\"comment\":\"parity is clean\"}'");
        temporal.run("temporal workflow signal --workflow-id demo-sales-wide-to-star --name reject --input"
                + " '{\"gate\":\"go-no-go\",\"by\":\"analytics-owner\",\"comment\":\"revenue is off\"}'");
        Awaits.status(temporal, "temporal workflow query --workflow-id demo-customers-then-orders --name status",
                s -> s.at("/state").asText().equals("PAUSED"));

        String stillWaiting = awaitList(temporal, waiting, out -> !out.contains("demo-orders-to-v2")
                && !out.contains("demo-sales-wide-to-star"));
        assertThat(stillWaiting).contains("demo-customers-then-orders", "demo-orders-zero-downtime");
        assertThat(awaitList(temporal, rolledBack, out -> out.contains("demo-sales-wide-to-star")))
                .doesNotContain("demo-orders-to-v2");
        assertThat(awaitList(temporal, "temporal workflow list --query 'RunbookOutcome=\"Completed\"'",
                out -> out.contains("demo-orders-to-v2"))).doesNotContain("demo-sales-wide-to-star");
        assertThat(awaitList(temporal, runbooksOnly, out -> ids.stream().allMatch(out::contains)))
                .as("no phase child").doesNotContain("demo-orders-to-v2/");
    }

    private static String awaitList(TemporalCli temporal, String command, java.util.function.Predicate<String> done)
            throws Exception {
        return Awaits.until("`" + command + "`", Duration.ofSeconds(30), Duration.ofMillis(500),
                () -> temporal.run(command), done);
    }

    /** The one command in README's bash blocks that contains {@code piece}. */
    private static String readmeCommand(String piece) throws IOException {
        List<String> found = Files.readString(REPO.resolve("README.md")).lines()
                .filter(l -> l.startsWith("temporal ") && l.contains(piece)).toList();
        assertThat(found).as("README commands containing " + piece).hasSize(1);
        return found.getFirst();
    }

    /** {@code bin/runbooks demo} from the repository root, in a shell whose java is the system's 17. */
    private static Process startDemo(TestServices services, int pgPort, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("bin/runbooks", "demo").directory(REPO.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> !name.equals("HOME"));
        env.put("PATH", services.temporalCli().toAbsolutePath().getParent() + ":" + WorkerCommand.OLD_JAVA_PATH);
        env.put("TEMPORAL_ADDRESS", services.temporalAddress());
        env.put("RUNBOOKS_HTTP_PORT", String.valueOf(freePort()));
        env.put("RUNBOOKS_DEMO_POSTGRES_PORT", String.valueOf(pgPort));
        env.put("RUNBOOKS_DEMO_POSTGRES_DIR", DIR.resolve("postgres").toString());
        // The shortened copies are the runbooks this demo may load, as an operator points runbooks.base-dir elsewhere.
        env.put("RUNBOOKS_BASE_DIR", DIR.resolve("runbooks").toString());
        return builder.start();
    }

    /** Each runbooks/*.yaml by name, as the file to start: a copy with its soaks shortened where it has any. */
    private static Map<String, String> shippedRunbooks() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        try (Stream<Path> listed = Files.list(REPO.resolve("runbooks"))) {
            for (Path file : listed.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                String name = file.getFileName().toString().replace(".yaml", "");
                String text = Files.readString(file);
                for (var shorter : SHORTER.entrySet()) {
                    text = text.replace(": " + shorter.getKey(), ": " + shorter.getValue());
                }
                Files.writeString(DIR.resolve("runbooks").resolve(name + ".yaml"), text);
                files.put(name, REPO.relativize(DIR.resolve("runbooks").resolve(name + ".yaml")).toString());
            }
        }
        return files;
    }

    /**
     * Stops the worker first (it stops the demo's PostgreSQL on its way out), then the demo script, and waits until
     * every one of them has exited: a demo worker still polling the shared task queue would take the next test's
     * tasks with the demo's settings (its runbooks directory).
     */
    private static void stop(Process demo) throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(demo.descendants().toList());
        all.add(demo.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                p.destroyForcibly();
                try {
                    p.onExit().get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ignored) {
                    throw new AssertionError("demo process " + p.pid() + " did not exit");
                }
            }
        }
    }

    private static String scalar(int port, String database, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database,
                "postgres", ""); var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static boolean accepts(int port) {
        try (var socket = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
