package org.runbooks.worker.it.drills;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.runbooks.worker.it.Awaits;
import org.runbooks.worker.it.OrdersDatabases;
import org.runbooks.worker.it.ScenarioRun;
import org.runbooks.worker.it.TemporalCli;
import org.runbooks.worker.it.TestServices;
import org.runbooks.worker.it.WorkerProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What operators get wrong, sent through the CLI: runbooks from the malformed corpus (each must fail with its errors
 * and run no step), and approvals for a gate that is not waiting, from someone who is not an approver, twice, after
 * the gate closed, plus a pause sent to a runbook that has ended; and on a signed gate, unsigned, forged and
 * misdirected signatures; files outside the worker's runbooks directory, and checks that call functions which write or
 * signal other sessions, on a read-only login. Each is refused with its reason, and the refused approvals are in
 * the audit trail.
 */
@ExtendWith(DrillReport.Watcher.class)
class BadInputDrillIT {

    private static final String APPROVALS = "worker/src/test/resources/drill-runbooks/approvals-drill.yaml";
    private static final String SIGNED = "worker/src/test/resources/drill-runbooks/signed-drill.yaml";

    private final DrillSize size = DrillSize.current();
    private final TestServices services = TestServices.get();
    private final TemporalCli temporal = new TemporalCli(services);

    @Test
    @DisplayName("bad-input-runbooks")
    void malformedRunbooksFailWithTheirErrorsAndRunNoStep() throws Exception {
        List<String> names = MalformedRun.names();
        // The short drill takes every eighth file, the full one all of them.
        int every = size.pick(8, 1);
        List<MalformedRun> runs = new ArrayList<>();
        for (int i : IntStream.range(0, names.size()).filter(i -> i % every == 0).toArray()) {
            runs.add(MalformedRun.of(names.get(i)));
        }
        OrdersDatabases dbs = new OrdersDatabases(services, "drill_bad_input", 10);
        // The corpus is written against these names (see its README); a worker that lacked one would add errors.
        WorkerProcess.Settings settings = WorkerProcess.Settings.of(services, dbs.legacyUrl, dbs.targetUrl)
                .withConnection("warehouse", dbs.targetUrl)
                .withProperty("runbooks.webhooks.ops-channel.url", "http://127.0.0.1:9/never-called");
        int errors = 0;
        try (WorkerProcess ignored = WorkerProcess.start(settings, "drill-worker-bad-input.log")) {
            for (MalformedRun run : runs) {
                run.start(temporal);
            }
            for (MalformedRun run : runs) {
                MalformedRun.Outcome outcome = Awaits.until(run.file() + " to close", Progress.LONG,
                        Duration.ofMillis(200), () -> run.outcome(temporal), o -> o.closed() != null);
                assertThat(outcome.closed()).as(run.file()).isEqualTo("EVENT_TYPE_WORKFLOW_EXECUTION_FAILED");
                assertThat(outcome.failure()).as("the failure of " + run.file()).contains(run.expectedErrors());
                assertThat(outcome.activities()).as("no step of " + run.file() + " ran").containsOnly("LoadRunbook");
                assertThat(outcome.children()).as("no phase of " + run.file() + " started").isZero();
                errors += run.expectedErrors().size();
            }
        }
        DrillReport.passed("bad-input-runbooks", size, runs.size() + " of " + names.size() + " malformed corpus "
                + "files started with `temporal workflow start`", runs.size() + " of " + runs.size() + " FAILED with "
                + "every expected error (" + errors + " errors, each as file:line:col: path: message); 0 steps run, "
                + "0 phases started");
    }

    @Test
    @DisplayName("bad-input-approvals")
    void wrongApprovalsAndLateCommandsAreRefusedWithTheirReasons() throws Exception {
        ScenarioRun run = ScenarioRun.ofFile(temporal, "drill-approvals", APPROVALS);
        OrdersDatabases dbs = new OrdersDatabases(services, "drill_approvals", 10);
        String update = "temporal workflow update execute --workflow-id drill-approvals --name approveGate --input "
                + "'{\"gate\":\"go-no-go\",\"by\":\"%s\",\"comment\":\"drill\"}'";
        TemporalCli.Result strangerByUpdate;
        TemporalCli.Result lateByUpdate;
        TemporalCli.Result pauseWhenDone;
        JsonNode result;
        try (WorkerProcess ignored = WorkerProcess.start(
                WorkerProcess.Settings.of(services, dbs.legacyUrl, dbs.targetUrl), "drill-worker-approvals.log")) {
            run.start();
            run.awaitGate("go-no-go");
            run.approve("no-such-gate", "dba-oncall");
            run.approve("go-no-go", "mallory");
            strangerByUpdate = temporal.tryRun(update.formatted("mallory"));
            run.approve("go-no-go", "orders-owner");
            run.approve("go-no-go", "orders-owner");
            run.approve("go-no-go", "dba-oncall");
            Progress.await(temporal, run, "close its gate", s -> s.at("/gate").isNull()
                    || s.at("/gate").isMissingNode());
            run.approve("go-no-go", "dba-oncall");
            lateByUpdate = temporal.tryRun(update.formatted("dba-oncall"));
            result = run.result();
            pauseWhenDone = temporal.tryRun("temporal workflow signal --workflow-id drill-approvals --name pause"
                    + " --input '{\"by\":\"carol\",\"reason\":\"too late\"}'");
        } finally {
            run.terminateIfOpen();
        }
        assertThat(result.at("/result/outcome").asText()).isEqualTo("COMPLETED");
        List<String> refusals = new ArrayList<>();
        result.at("/result/audit").forEach(a -> {
            if (!a.at("/accepted").asBoolean()) {
                refusals.add(a.at("/by").asText() + ": " + a.at("/refusal").asText());
            }
        });
        String stranger = "mallory: 'mallory' is not an approver of gate 'go-no-go'"
                + " (approvers: orders-owner, dba-oncall)";
        String late = "dba-oncall: no gate is waiting";
        // In the order sent: the updates refused on the spot are audited too, right after the signal like them.
        assertThat(refusals).containsExactly(
                "dba-oncall: gate 'no-such-gate' is not waiting; the waiting gate is 'go-no-go'",
                stranger, stranger,
                "orders-owner: 'orders-owner' already approved gate 'go-no-go'",
                late, late);
        assertThat(strangerByUpdate.exitCode()).isNotZero();
        assertThat(strangerByUpdate.output()).contains("'mallory' is not an approver of gate 'go-no-go'");
        assertThat(lateByUpdate.exitCode()).isNotZero();
        assertThat(lateByUpdate.output()).contains("no gate is waiting");
        assertThat(pauseWhenDone.exitCode()).isNotZero();
        assertThat(pauseWhenDone.output()).containsIgnoringCase("already completed");
        DrillReport.passed("bad-input-approvals", size, "6 approvals by signal, 2 by update, 1 pause after the end",
                "6 of 6 wrong approvals refused and audited with their reason (" + String.join("; ", refusals)
                        + "); the 2 updates also refused on the spot (CLI exit " + strangerByUpdate.exitCode() + ", "
                        + lateByUpdate.exitCode() + "); pause after the end refused by the server: \""
                        + cliMessage(pauseWhenDone.output()) + "\"; runbook COMPLETED on the 2 valid approvals");
    }

    @Test
    @DisplayName("bad-input-signatures")
    void forgedUnsignedAndMisdirectedSignaturesAreRefusedOnASignedGate() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("drill-signatures");
        org.runbooks.gate.SshKeygen keygen = new org.runbooks.gate.SshKeygen(dir);
        java.nio.file.Path dba = keygen.key("dba-oncall", "ed25519", 0);
        java.nio.file.Path owner = keygen.key("orders-owner", "ecdsa", 256);
        java.nio.file.Path mallory = keygen.key("mallory", "ed25519", 0);
        java.nio.file.Path signers = java.nio.file.Files.writeString(dir.resolve("allowed_signers"), "dba-oncall "
                + keygen.publicKey(dba) + "\norders-owner " + keygen.publicKey(owner) + "\n");
        ScenarioRun run = ScenarioRun.ofFile(temporal, "drill-signatures", SIGNED);
        OrdersDatabases dbs = new OrdersDatabases(services, "drill_signatures", 10);
        String update = "temporal workflow update execute --workflow-id drill-signatures --name approveGate --input "
                + "'{\"gate\":\"go-no-go\",\"by\":\"%s\",\"comment\":\"drill\",\"signature\":\"%s\"}'";
        List<TemporalCli.Result> refused = new ArrayList<>();
        JsonNode result;
        try (WorkerProcess ignored = WorkerProcess.start(WorkerProcess.Settings.of(services, dbs.legacyUrl,
                dbs.targetUrl).withProperty("runbooks.approvals.allowed-signers", signers.toString()),
                "drill-worker-signatures.log")) {
            run.start();
            JsonNode gate = run.awaitGate("go-no-go").at("/gate");
            String approve = gate.at("/approveStatement").asText();
            String reject = gate.at("/rejectStatement").asText();
            refused.add(temporal.tryRun(update.formatted("dba-oncall", "")));
            refused.add(temporal.tryRun(update.formatted("dba-oncall", compact(keygen.sign(mallory,
                    org.runbooks.gate.SshSignature.NAMESPACE, approve)))));
            refused.add(temporal.tryRun(update.formatted("dba-oncall", compact(keygen.sign(dba,
                    org.runbooks.gate.SshSignature.NAMESPACE, reject)))));
            refused.add(temporal.tryRun(update.formatted("dba-oncall", compact(keygen.sign(dba, "git", approve)))));
            refused.add(temporal.tryRun(update.formatted("orders-owner", compact(keygen.sign(dba,
                    org.runbooks.gate.SshSignature.NAMESPACE, approve)))));
            refused.add(temporal.tryRun(update.formatted("dba-oncall", "bm90IGEgc2lnbmF0dXJl")));
            temporal.run(update.formatted("orders-owner", compact(keygen.sign(owner,
                    org.runbooks.gate.SshSignature.NAMESPACE, approve))));
            result = run.result();
        } finally {
            run.terminateIfOpen();
        }
        assertThat(result.at("/result/outcome").asText()).isEqualTo("COMPLETED");
        assertThat(refused).allSatisfy(r -> assertThat(r.exitCode()).isNotZero());
        assertThat(refused.stream().map(r -> cliMessage(r.output())).toList()).satisfiesExactly(
                m -> assertThat(m).contains("this gate takes signed decisions only"),
                m -> assertThat(m).contains("which is not a key of 'dba-oncall'"),
                m -> assertThat(m).contains("not over this decision's statement"),
                m -> assertThat(m).contains("namespace 'git'"),
                m -> assertThat(m).contains("which is not a key of 'orders-owner'"),
                m -> assertThat(m).contains("no SSHSIG preamble"));
        List<String> audited = new ArrayList<>();
        result.at("/result/audit").forEach(a -> audited.add(a.at("/accepted").asBoolean() ? "accepted "
                + a.at("/key").asText() : "refused"));
        assertThat(audited).hasSize(7).endsWith("accepted " + org.runbooks.gate.SshPublicKey.parse(
                keygen.publicKey(owner)).fingerprint());
        DrillReport.passed("bad-input-signatures", size, "7 approveGate updates on a signed gate: unsigned, "
                + "another person's key, a signature of the reject statement, another namespace, one approver's key "
                + "under another's name, not a signature, then one valid", "6 of 6 refused on the spot (CLI exit "
                + "non-zero) and audited with their reason; the valid one accepted with its key fingerprint; "
                + "runbook COMPLETED");
    }

    @Test
    @DisplayName("bad-input-reach")
    void filesOutsideTheRunbooksDirectoryAndChecksThatWriteAreRefused() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("drill-reach");
        java.nio.file.Path runbooks = java.nio.file.Files.createDirectory(dir.resolve("runbooks"));
        java.nio.file.Files.createSymbolicLink(runbooks.resolve("escape.yaml"),
                java.nio.file.Path.of("..", APPROVALS).toAbsolutePath().normalize());
        java.nio.file.Files.writeString(runbooks.resolve("notes.txt"), "not a runbook");
        java.nio.file.Path sneaky = java.nio.file.Files.writeString(runbooks.resolve("sneaky-checks.yaml"), """
                apiVersion: runbook/v1
                name: sneaky-checks
                phases:
                  - name: check
                    steps:
                      - id: counts
                        validate:
                          assertions:
                            - { name: touches-a-row, connection: legacy, sql: "select drill_touch_order() - 1" }
                            - { name: cancels-sessions, connection: legacy, sql: "select drill_cancel_others() * 0" }
                """);
        String base = runbooks.toRealPath().toString();
        List<MalformedRun> outside = List.of(
                new MalformedRun(APPROVALS, "drill-reach-sibling", List.of("runbook path '" + APPROVALS
                        + "' leaves the runbooks base directory " + base)),
                new MalformedRun("runbooks/../worker/src/main/resources/application.yml", "drill-reach-config",
                        List.of("leaves the runbooks base directory " + base)),
                new MalformedRun("/etc/passwd", "drill-reach-absolute", List.of("runbook path '/etc/passwd' leaves "
                        + "the runbooks base directory " + base)),
                new MalformedRun(base + "/escape.yaml", "drill-reach-symlink", List.of("leads out of the runbooks "
                        + "base directory " + base + " (through a symbolic link)")),
                new MalformedRun(base + "/notes.txt", "drill-reach-not-yaml", List.of("is not a .yaml, .yml or "
                        + ".json file")));
        OrdersDatabases dbs = new OrdersDatabases(services, "drill_reach", 10);
        String reader = "drill_reader";
        try (java.sql.Connection c = services.connect(dbs.legacyUrl); java.sql.Statement st = c.createStatement()) {
            // Functions the parser's list does not know: one writes, one cancels other sessions' queries.
            st.execute("create function drill_touch_order() returns int language plpgsql as $$ begin "
                    + "update orders set note = 'touched' where id = 1; return 1; end $$");
            st.execute("create function drill_cancel_others() returns int language sql as $$ select count(*)::int "
                    + "from pg_stat_activity where pid <> pg_backend_pid() and pg_cancel_backend(pid) $$");
            st.execute("drop role if exists " + reader);
            st.execute("create role " + reader + " login password 'drill-reader'");
            st.execute("grant select on orders to " + reader);
        }
        String noteBefore = dbs.scalar(dbs.legacyUrl, "select coalesce(note, '') from orders where id = 1");
        WorkerProcess.Settings settings = WorkerProcess.Settings.of(services, dbs.legacyUrl, dbs.targetUrl)
                .withProperty("runbooks.base-dir", base)
                .withProperty("runbooks.connections.legacy.read-only.user", reader)
                .withProperty("runbooks.connections.legacy.read-only.password", "drill-reader");
        ScenarioRun checks = ScenarioRun.ofFile(temporal, "drill-reach-checks", sneaky.toRealPath().toString());
        JsonNode result;
        try (WorkerProcess ignored = WorkerProcess.start(settings, "drill-worker-reach.log")) {
            for (MalformedRun run : outside) {
                run.start(temporal);
            }
            for (MalformedRun run : outside) {
                MalformedRun.Outcome outcome = Awaits.until(run.file() + " to close", Progress.LONG,
                        Duration.ofMillis(200), () -> run.outcome(temporal), o -> o.closed() != null);
                assertThat(outcome.closed()).as(run.file()).isEqualTo("EVENT_TYPE_WORKFLOW_EXECUTION_FAILED");
                assertThat(outcome.failure()).as(run.file()).contains(run.expectedErrors());
                assertThat(outcome.activities()).as("no step of " + run.file() + " ran").containsOnly("LoadRunbook");
                assertThat(outcome.children()).as("no phase of " + run.file() + " started").isZero();
            }
            checks.start();
            result = checks.result();
        } finally {
            checks.terminateIfOpen();
        }
        List<String> verdicts = new ArrayList<>();
        result.at("/result/evidence/0/checks").forEach(c -> verdicts.add(c.at("/passed").asText() + " "
                + c.at("/detail").asText()));
        assertThat(result.at("/result/outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(verdicts).satisfiesExactly(
                v -> assertThat(v).startsWith("false ").contains("read-only transaction"),
                v -> assertThat(v).startsWith("false ").containsAnyOf("must be a superuser", "must be a member",
                        "permission denied"));
        assertThat(dbs.scalar(dbs.legacyUrl, "select coalesce(note, '') from orders where id = 1"))
                .as("the row a check tried to change").isEqualTo(noteBefore);
        DrillReport.passed("bad-input-reach", size, outside.size() + " starts naming files outside the worker's "
                + "runbooks directory (a sibling runbook, the worker's application.yml through .., /etc/passwd, a "
                + "symbolic link out, a .txt), then a runbook whose assertions call functions that write or cancel "
                + "other sessions, with a read-only login configured", outside.size() + " of " + outside.size()
                + " FAILED at LoadRunbook as RunbookNotFound with the reason, 0 steps run; the 2 checks failed ("
                + String.join("; ", verdicts) + "), nothing changed, the runbook ROLLED_BACK");
    }

    /** The base64 body of an armored signature, on one line: what a JSON input carries. */
    private static String compact(String armored) {
        return armored.replace("-----BEGIN SSH SIGNATURE-----", "").replace("-----END SSH SIGNATURE-----", "")
                .replaceAll("\\s+", "");
    }

    /** The CLI's error message, without its log-line wrapping ({@code time=... level=ERROR msg="..."}). */
    private static String cliMessage(String output) {
        java.util.regex.Matcher msg = java.util.regex.Pattern.compile("msg=\"([^\"]*)\"").matcher(output);
        return msg.find() ? msg.group(1) : output.strip();
    }
}
