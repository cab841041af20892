package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.runbooks.gate.SshKeygen;
import org.runbooks.gate.SshSignature;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A signed gate on the real stack: the worker's allowed-signers file names alice and bob; each approves with the
 * command status prints, signed by the real ssh-keygen; the forged, unsigned, wrong-statement and same-key attempts
 * are refused and audited; the report's offline check passes with {@code ssh-keygen -Y verify}.
 */
class SignedApprovalIT {

    private static final String ID = "signed-gate";
    private static final String STATUS = "temporal workflow query --workflow-id " + ID + " --name status";
    private static final String RUNBOOK = """
            apiVersion: runbook/v1
            name: signed-orders
            phases:
              - name: backfill
                steps:
                  - id: copy-orders
                    backfill:
                      from: { connection: legacy, table: orders }
                      to:   { connection: target, table: orders_v2 }
                      key: [id]
              - name: validate
                steps:
                  - id: parity
                    validate:
                      between: { source: legacy.orders, target: target.orders_v2 }
                      key: [id]
                      rowCount: { tolerance: 0 }
                      checksum: { columns: all }
              - name: gate
                steps:
                  - id: go-no-go
                    gate: { approvers: [alice, bob], quorum: 2, signed: true }
              - name: cutover
                steps:
                  - id: read-v2
                    flag: { connection: target, name: orders.read_v2, enabled: true }
            """;

    @TempDir
    Path dir;

    @Test
    void aSignedGateTakesOnlyEachApproversOwnSignatureOverItsStatement() throws Exception {
        TestServices services = TestServices.get();
        TemporalCli temporal = new TemporalCli(services);
        OrdersDatabases dbs = new OrdersDatabases(services, "signed_gate", 50);
        SshKeygen keygen = new SshKeygen(dir);
        Path alice = keygen.key("alice", "ed25519", 0);
        Path bob = keygen.key("bob", "rsa", 3072);
        Path mallory = keygen.key("mallory", "ed25519", 0);
        Path signers = dir.resolve("allowed_signers");
        Files.writeString(signers, "alice " + keygen.publicKey(alice) + "\nbob " + keygen.publicKey(bob) + "\n");
        Files.createDirectories(dir.resolve("runbooks"));
        Files.writeString(dir.resolve("runbooks/signed.yaml"), RUNBOOK);
        Path reports = dir.resolve("reports");

        try (RunningWorker ignored = RunningWorker.start(services,
                Map.of("legacy", dbs.legacyUrl, "target", dbs.targetUrl),
                Map.of("runbooks.base-dir", dir.toString(), "runbooks.working-dir", dir.toString(),
                        "runbooks.reports.dir", reports.toString(),
                        "runbooks.approvals.allowed-signers", signers.toString()))) {
            temporal.run("temporal workflow start --type Runbook --task-queue runbooks --workflow-id " + ID
                    + " --input '{\"file\":\"runbooks/signed.yaml\",\"startedBy\":\"carol\"}'");
            JsonNode gate = Awaits.status(temporal, STATUS,
                    s -> "AWAITING_APPROVAL".equals(s.at("/state").asText())).at("/gate");
            String approve = gate.at("/approveCommand").asText();
            String statement = gate.at("/approveStatement").asText();
            assertThat(gate.at("/signed").asBoolean()).isTrue();
            assertThat(statement).startsWith("runbook-approval/v1 workflow=" + ID + " gate=go-no-go decision=approve");

            assertThat(temporal.tryRun("temporal workflow update execute --workflow-id " + ID + " --name approveGate "
                    + "--input '{\"gate\":\"go-no-go\",\"by\":\"alice\",\"comment\":\"trust me\"}'").output())
                    .contains("this gate takes signed decisions only");
            assertThat(shell(approve, mallory, "alice", "forged")).contains("which is not a key of 'alice'");
            assertThat(shell(approve.replace(statement, gate.at("/rejectStatement").asText()), alice, "alice",
                    "other statement")).contains("not over this decision's statement");
            assertThat(shell(approve, alice, "alice", "looks good")).contains("accepted:true");
            assertThat(shell(approve, alice, "alice", "again")).contains("'alice' already approved gate 'go-no-go'");
            assertThat(Awaits.status(temporal, STATUS, s -> true).at("/state").asText())
                    .isEqualTo("AWAITING_APPROVAL");

            shell(approve, bob, "bob", "agreed");

            Awaits.status(temporal, STATUS, s -> "COMPLETED".equals(s.at("/state").asText()));
            // The state reads COMPLETED before the runbook writes its report: its result comes after the report.
            temporal.run("temporal workflow result --workflow-id " + ID);
        }
        Path report;
        try (Stream<Path> files = Files.list(reports)) {
            report = files.filter(p -> p.toString().endsWith(".md")).findFirst().orElseThrow();
        }
        List<String> checks = Files.readAllLines(report).stream().filter(l -> l.contains("ssh-keygen -Y verify"))
                .toList();
        assertThat(Files.readString(report)).contains("refused: the signature is by key");
        assertThat(checks).hasSize(2);
        for (String check : checks) {
            assertThat(run(List.of("bash", "-c", check), dir)).contains("Good \"" + SshSignature.NAMESPACE
                    + "\" signature for");
        }
    }

    @Test
    void readmesSigningCommandsApproveAGateOfAWorkerThatRequiresSignaturesAsWritten() throws Exception {
        TestServices services = TestServices.get();
        TemporalCli temporal = new TemporalCli(services);
        OrdersDatabases dbs = new OrdersDatabases(services, "readme_signed", 20);
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve(".ssh"));
        Path key = new SshKeygen(home.resolve(".ssh")).key("id_ed25519", "ed25519", 0);
        Files.writeString(dir.resolve("allowed_signers"), "dba-oncall " + new SshKeygen(dir).publicKey(key) + "\n");
        String status = "temporal workflow query --workflow-id orders-to-v2 --name status";

        try (RunningWorker ignored = RunningWorker.start(services,
                Map.of("legacy", dbs.legacyUrl, "target", dbs.targetUrl),
                Map.of("runbooks.approvals.allowed-signers", dir.resolve("allowed_signers").toString(),
                        "runbooks.approvals.require-signatures", "true",
                        "runbooks.reports.dir", dir.resolve("reports").toString()))) {
            temporal.run("temporal workflow start --type Runbook --task-queue runbooks --workflow-id orders-to-v2"
                    + " --input '{\"file\":\"runbooks/orders-to-v2.yaml\",\"startedBy\":\"carol\"}'");
            Awaits.status(temporal, status, s -> "AWAITING_APPROVAL".equals(s.at("/state").asText()));

            String out = runWithHome(String.join("\n", readmeBlock("### Signed approvals")), home);

            assertThat(out).contains("Good \"runbook-approval\" signature for dba-oncall");
            Awaits.status(temporal, status, s -> "COMPLETED".equals(s.at("/state").asText()));
        }
    }

    /** The commands of the first {@code ```bash} block after {@code heading} in README, as written. */
    private static List<String> readmeBlock(String heading) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String section = readme.substring(readme.indexOf(heading));
        String block = section.substring(section.indexOf("```bash\n") + 8);
        return List.of(block.substring(0, block.indexOf("```")).strip().split("\n"));
    }

    private String runWithHome(String script, Path home) throws Exception {
        TestServices services = TestServices.get();
        ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).directory(dir.toFile())
                .redirectErrorStream(true);
        builder.environment().put("HOME", home.toString());
        builder.environment().put("TEMPORAL_ADDRESS", services.temporalAddress());
        builder.environment().put("PATH", services.temporalCli().getParent() + ":" + System.getenv("PATH"));
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }

    /** Runs the command status printed, as the approver would: their key file, their name, their comment. */
    private String shell(String printed, Path key, String by, String why) throws Exception {
        String command = printed.replace("~/.ssh/id_ed25519", key.toString()).replace("YOU", by).replace("WHY", why);
        return run(List.of("bash", "-c", command), dir);
    }

    private static String run(List<String> command, Path in) throws Exception {
        TestServices services = TestServices.get();
        ProcessBuilder builder = new ProcessBuilder(command).directory(in.toFile()).redirectErrorStream(true);
        builder.environment().put("TEMPORAL_ADDRESS", services.temporalAddress());
        builder.environment().put("PATH", services.temporalCli().getParent() + ":" + System.getenv("PATH"));
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return out;
    }
}
