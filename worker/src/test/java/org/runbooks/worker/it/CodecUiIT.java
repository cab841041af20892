package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.runbooks.worker.it.drills.DevServer;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With payload encryption on, the Temporal Web UI shows a waiting runbook's Current Details in plaintext only when it
 * is configured with the worker's codec endpoint: a dev server of the test's own is started with
 * {@code --ui-codec-endpoint} pointing at the worker, its page is checked in the browser, then the same server is
 * restarted on the same state file without the setting and the same page must not show the plaintext.
 */
class CodecUiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
            30, 31, 32});
    private static final String ID = "ui-codec-awaiting-approval";
    private static final String SUMMARY = "orders-to-v2: move orders to orders_v2, started by alice";
    private static final String ROWS = "2,000 of 2,000 rows";
    private static final String APPROVE = "temporal workflow signal --workflow-id " + ID + " --name approve --input "
            + "'{\"gate\":\"go-no-go\",\"by\":\"YOU\",\"comment\":\"WHY\"}'";

    @Test
    void currentDetailsArePlaintextOnlyInTheUiConfiguredWithTheCodecEndpoint() throws Exception {
        TestServices services = TestServices.get();
        Cookbook cookbook = Cookbook.read();
        OrdersDatabases dbs = new OrdersDatabases(services, "ui_codec", 2_000);
        int workerPort = freePort();
        String codecEndpoint = "http://127.0.0.1:" + workerPort;
        try (DevServer server = DevServer.withUi(services.temporalCli(), freePort())) {
            server.uiCodecEndpoint(codecEndpoint);
            server.startServer();
            TemporalCli temporal = server.temporal();
            try (RunningWorker ignored = RunningWorker.start(services,
                    Map.of("legacy", dbs.legacyUrl, "target", dbs.targetUrl),
                    Map.of("micronaut.server.port", workerPort,
                            "temporal.target", server.address(),
                            "runbooks.codec.keys.ui", KEY,
                            "runbooks.codec.allowed-origins", server.uiUrl()))) {
                String codec = " --codec-endpoint " + codecEndpoint;
                temporal.run(cookbook.command("workflow start", ID) + codec);
                Awaits.status(temporal, cookbook.command("--name status", ID) + codec,
                        s -> "AWAITING_APPROVAL".equals(s.at("/state").asText()));
                String runId = JSON.readTree(temporal.run("temporal workflow describe --workflow-id " + ID
                        + " --output json")).at("/workflowExecutionInfo/execution/runId").asText();
                String page = server.uiUrl() + "/namespaces/default/workflows/" + ID + "/" + runId + "/user-metadata";

                BrowserCheck.Result decoded = BrowserCheck.run(page, Path.of("target", "ui", "codec-decoded.png"),
                        "Current Details", SUMMARY, "orders-to-v2 · phase 3 of 4: gate (1 step)",
                        "AWAITING_APPROVAL", ROWS, APPROVE);
                assertThat(decoded.output()).doesNotContain("missing:");
                assertThat(decoded.exitCode()).as(decoded.output()).isZero();

                server.stopServer();
                server.uiCodecEndpoint(null);
                server.startServer();
                // The worker answers queries again (through the CLI's codec) before the UI asks it for the details.
                Awaits.status(temporal, cookbook.command("--name status", ID) + codec,
                        s -> "AWAITING_APPROVAL".equals(s.at("/state").asText()));
                BrowserCheck.Result sealed = BrowserCheck.run(page, Path.of("target", "ui", "codec-sealed.png"),
                        "No Current Details", "Decoding failed", SUMMARY, ROWS, APPROVE);
                assertThat(sealed.output()).as("the UI without the codec endpoint")
                        .contains("found: No Current Details", "found: Decoding failed",
                                "missing: " + SUMMARY, "missing: " + ROWS, "missing: " + APPROVE);

                temporal.run(cookbook.command("--name approve ", ID) + codec);
                assertThat(JSON.readTree(temporal.run(cookbook.command("workflow result", ID) + codec))
                        .at("/result/outcome").asText()).isEqualTo("COMPLETED");
            }
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
