package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every command of {@code docs/cli-cookbook.md}, as written there (only the workflow id is the scenario's own),
 * against the real dev server, the real worker and PostgreSQL, and checks that each one exits 0 and shows what the
 * cookbook says it shows. Six runbook runs cover the decisions: reject by signal (with everything an operator
 * watches and steers on the way), reject by update, roll back, cancel, approve by update, approve by signal.
 */
class CookbookIT {

    private static final int ROWS = 2_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration VISIBILITY = Duration.ofSeconds(20);

    private TemporalCli temporal;
    private Cookbook cookbook;

    @Test
    void everyCommandOfTheCookbookRunsAsWrittenAndShowsWhatItSays() throws Exception {
        TestServices services = TestServices.get();
        temporal = new TemporalCli(services);
        cookbook = Cookbook.read();
        assertThat(cookbook.commands()).as("every command line of " + Cookbook.FILE + " is read")
                .hasSize((int) Files.readAllLines(Cookbook.FILE).stream()
                        .filter(l -> l.startsWith("temporal ") || l.startsWith("bin/runbooks ")).count());
        OrdersDatabases dbs = new OrdersDatabases(services, "cookbook", ROWS);
        checkTheRunbookFirst(services, dbs);
        try (RunningWorker ignored = RunningWorker.start(services, dbs.legacyUrl, dbs.targetUrl)) {
            watchSteerAndRejectBySignal("cookbook-reject-signal");
            assertThat(dbs.targetRows()).as("a rejection removes the copied rows").isZero();
            rejectByUpdate("cookbook-reject-update");
            rollBack("cookbook-rollback");
            cancel("cookbook-cancel");
            approveByUpdate("cookbook-approve-update");
            assertThat(dbs.flagPercent("orders.read_v2")).isEqualTo(100);
            approveBySignal("cookbook-approve-signal");
        }
        assertThat(dbs.targetChecksum()).isEqualTo(dbs.legacyChecksum());
        assertThat(cookbook.notRun()).as("commands in " + Cookbook.FILE + " that no scenario ran").isEmpty();
    }

    /** The launcher's checks, as written, configured like the worker and in a shell whose java is 17. */
    private void checkTheRunbookFirst(TestServices services, OrdersDatabases dbs) throws Exception {
        WorkerCommand.Result validate = WorkerCommand.run(services, dbs.legacyUrl, dbs.targetUrl,
                cookbook.command("bin/runbooks validate", Cookbook.WORKFLOW_ID));
        assertThat(validate.exitCode()).as(validate.err()).isZero();
        assertThat(validate.lines()).containsExactly("runbooks/orders-to-v2.yaml: ok");
        WorkerCommand.Result plan = WorkerCommand.run(services, dbs.legacyUrl, dbs.targetUrl,
                cookbook.command("bin/runbooks plan", Cookbook.WORKFLOW_ID));
        assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
        assertThat(plan.out()).contains("Phase 3: gate").endsWith("Result: 0 error(s), 0 warning(s), 1 info\n");
    }

    private void watchSteerAndRejectBySignal(String id) throws Exception {
        startAndAwaitGate(id);

        assertThat(run("--name status", id)).contains("\"rowsCopied\":" + ROWS)
                .contains("\"approveCommand\":\"temporal workflow signal --workflow-id " + id + " --name approve");
        commandsPrintedForTheGateRunAsPrinted(id);
        assertThat(run("workflow metadata", id)).contains("Current Details:")
                .contains("**AWAITING_APPROVAL** · phase **gate** · step **go-no-go**")
                .contains(String.format(Locale.ROOT, "%,d of %,d rows", ROWS, ROWS))
                .contains("### Gate go-no-go waits for 1 of orders-owner, dba-oncall")
                .contains("temporal workflow signal --workflow-id " + id + " --name approve --input "
                        + "'{\"gate\":\"go-no-go\",\"by\":\"YOU\",\"comment\":\"WHY\"}'")
                .contains("- **parity** passed");
        assertThat(run("workflow describe", id)).contains("orders-to-v2: move orders to orders_v2, started by alice")
                .contains("AwaitingApproval").contains(id + "/gate");
        awaitOutput("ParentWorkflowId", id, out -> out.contains(id + "/backfill") && out.contains(id + "/validate")
                && out.contains(id + "/gate"));
        awaitOutput("workflow list --query 'RunbookState", id, out -> out.contains(id));
        awaitOutput("workflow count", id, out -> !out.contains("Total: 0") && out.contains("Total: "));

        assertThat(run("--name pause", id)).contains("Signal workflow succeeded");
        awaitState(id, "PAUSED");
        assertThat(run("workflow metadata", id)).contains("**Paused** by carol: replica lag above 5s")
                .as("the gate still waits while paused").contains("--name approve");
        assertThat(run("--name tune", id)).contains("chunkRows:5000").contains("rowsPerSecond:20000");
        assertThat(run("workflow metadata", id)).contains("**Throttled** to 20,000 rows/s by carol");
        run("--name resume", id);
        awaitState(id, "AWAITING_APPROVAL");

        run("--name reject ", id);
        JsonNode result = result(id);
        assertThat(result.at("/result/outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(result.at("/result/reason").asText())
                .isEqualTo("gate go-no-go rejected by orders-owner: p99 latency doubled");
        awaitOutput("RunbookOutcome=\"RolledBack\"", id, out -> out.contains(id));
        JsonNode history = JSON.readTree(run("workflow show", id));
        assertThat(signalInputs(history, "reject")).singleElement().asString().contains("p99 latency doubled");
        assertThat(signalInputs(history, "pause")).singleElement().asString().contains("replica lag above 5s");
    }

    /**
     * The approve command as the operator reads it in the CLI's own output, run as is: from the human view
     * ({@code workflow metadata}) and from the machine view ({@code status --output json}, as jq would read it). Its
     * placeholder names no approver, so each one is refused and audited, which proves it reached the gate.
     */
    private void commandsPrintedForTheGateRunAsPrinted(String id) throws Exception {
        String status = run("--name status", id);
        assertThat(status).as("status prints no unicode escape in its commands").doesNotContain("\\u003c")
                .doesNotContain("\\u003e").contains("\\\"by\\\":\\\"YOU\\\"");
        Matcher printed = Pattern.compile("`(temporal workflow signal [^`]*--name approve [^`]*)`")
                .matcher(run("workflow metadata", id));
        assertThat(printed.find()).as("metadata prints the approve command").isTrue();
        assertThat(temporal.run(printed.group(1))).contains("Signal workflow succeeded");
        JsonNode machine = JSON.readTree(run("--name status --output json", id));
        assertThat(temporal.run(machine.findValue("approveCommand").asText())).contains("Signal workflow succeeded");
        Awaits.until("both pasted commands to be audited", VISIBILITY, Duration.ofMillis(250),
                () -> JSON.readTree(run("--name status --output json", id)),
                json -> json.findValue("audit").findValues("by").stream().filter(by -> by.asText().equals("YOU"))
                        .count() == 2);
    }

    /** The decoded input of every signal named {@code name} in a history printed with {@code --output json}. */
    private static List<String> signalInputs(JsonNode history, String name) {
        List<String> inputs = new ArrayList<>();
        for (JsonNode event : history.at("/events")) {
            JsonNode signal = event.path("workflowExecutionSignaledEventAttributes");
            if (name.equals(signal.path("signalName").asText())) {
                byte[] data = Base64.getDecoder().decode(signal.at("/input/payloads/0/data").asText());
                inputs.add(new String(data, StandardCharsets.UTF_8));
            }
        }
        return inputs;
    }

    private void rejectByUpdate(String id) throws Exception {
        startAndAwaitGate(id);
        assertThat(run("--name rejectGate", id)).contains("orders-owner").contains("p99 latency doubled");
        assertThat(result(id).at("/result/outcome").asText()).isEqualTo("ROLLED_BACK");
    }

    private void rollBack(String id) throws Exception {
        startAndAwaitGate(id);
        run("--name rollback", id);
        JsonNode result = result(id);
        assertThat(result.at("/result/outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(result.at("/result/reason").asText()).isEqualTo("rollback requested by carol: error rate on the canary");
        assertThat(result.at("/result/compensations/0/stepId").asText()).isEqualTo("copy-orders");
    }

    private void cancel(String id) throws Exception {
        startAndAwaitGate(id);
        run("workflow cancel", id);
        awaitState(id, "ROLLED_BACK");
        Awaits.until("`describe` to show " + id + " canceled", VISIBILITY, Duration.ofMillis(250),
                () -> temporal.run(cookbook.command("workflow describe", id)), out -> out.contains("CANCELED"));
        String report = run("--name report", id);
        assertThat(report).contains(id + "-").contains(".md").contains(".json");
        Path markdown = Path.of(JSON.readTree(report.substring(report.indexOf('{'))).get("markdown").asText());
        assertThat(Files.readString(markdown)).contains("| Outcome | **ROLLED_BACK** |")
                .contains("|  | go-no-go | gate |").contains("| cancelled |");
    }

    private void approveByUpdate(String id) throws Exception {
        startAndAwaitGate(id);
        assertThat(run("--name approveGate", id)).contains("dba-oncall").contains("approve");
        assertThat(result(id).at("/result/outcome").asText()).isEqualTo("COMPLETED");
    }

    private void approveBySignal(String id) throws Exception {
        startAndAwaitGate(id);
        run("--name approve ", id);
        JsonNode result = result(id);
        assertThat(result.at("/result/outcome").asText()).isEqualTo("COMPLETED");
        assertThat(result.at("/result/audit/0/by").asText()).isEqualTo("dba-oncall");
    }

    private void startAndAwaitGate(String id) throws Exception {
        assertThat(run("workflow start", id)).contains("Running execution").contains(id);
        awaitState(id, "AWAITING_APPROVAL");
    }

    private void awaitState(String id, String state) throws Exception {
        String command = cookbook.command("--name status", id);
        Awaits.until(id + " to be " + state, Duration.ofMinutes(3), Duration.ofMillis(250),
                () -> temporal.tryRun(command), query -> query.exitCode() == 0
                        && query.output().contains("\"state\":\"" + state + "\""));
    }

    /** Visibility is eventually consistent: a list may lag the workflow by a moment. */
    private void awaitOutput(String piece, String id, Predicate<String> done) throws Exception {
        String command = cookbook.command(piece, id);
        Awaits.until("`" + command + "` to show " + id, VISIBILITY, Duration.ofMillis(250),
                () -> temporal.run(command), done);
    }

    private JsonNode result(String id) throws Exception {
        return JSON.readTree(run("workflow result", id));
    }

    /** Runs the cookbook's one command containing {@code piece}, for workflow {@code id}; it must exit 0. */
    private String run(String piece, String id) {
        return temporal.run(cookbook.command(piece, id));
    }
}
