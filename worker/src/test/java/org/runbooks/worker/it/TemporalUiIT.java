package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator sees in the Temporal UI, checked in a real browser: a runbook waits at its gate, and the
 * workflow page's User Metadata tab shows the static summary from the start command, each phase child's summary, and
 * the Current Details with the progress bar, the rows copied and the exact command that approves the gate. The
 * browser is Debian's Chromium driven by playwright-core ({@code worker/src/test/browser}, installed by
 * {@code .ci/run}); the screenshot is kept in {@code worker/target/ui/}.
 */
class TemporalUiIT {

    private static final Path SCREENSHOT = Path.of("target", "ui", "runbook-awaiting-approval.png");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void workflowPageShowsProgressAndTheApproveCommandOfTheWaitingGate() throws Exception {
        TestServices services = TestServices.get();
        TemporalCli temporal = new TemporalCli(services);
        Cookbook cookbook = Cookbook.read();
        String id = "ui-awaiting-approval";
        OrdersDatabases dbs = new OrdersDatabases(services, "ui_check", 3_000);
        try (RunningWorker ignored = RunningWorker.start(services, dbs.legacyUrl, dbs.targetUrl)) {
            temporal.run(cookbook.command("workflow start", id));
            Awaits.status(temporal, cookbook.command("--name status", id),
                    s -> "AWAITING_APPROVAL".equals(s.at("/state").asText()));
            String runId = JSON.readTree(temporal.run("temporal workflow describe --workflow-id " + id + " --output json"))
                    .at("/workflowExecutionInfo/execution/runId").asText();

            BrowserCheck.Result page = BrowserCheck.run(uiUrl() + "/namespaces/default/workflows/" + id + "/" + runId
                            + "/user-metadata", SCREENSHOT,
                    "Current Details",
                    "orders-to-v2: move orders to orders_v2, started by alice",
                    "orders-to-v2 · phase 3 of 4: gate (1 step)",
                    "AWAITING_APPROVAL",
                    "100%",
                    "3,000 of 3,000 rows",
                    "Steps done: 2 of 4",
                    "Gate go-no-go waits for 1 of orders-owner, dba-oncall",
                    "temporal workflow signal --workflow-id " + id + " --name approve --input "
                            + "'{\"gate\":\"go-no-go\",\"by\":\"YOU\",\"comment\":\"WHY\"}'");

            assertThat(page.output()).doesNotContain("missing:");
            assertThat(page.output()).as("every Markdown frame shows its last line").contains("fits: ")
                    .doesNotContain("cut: ");
            assertThat(page.exitCode()).as(page.output()).isZero();
            assertThat(Files.size(SCREENSHOT)).as("screenshot " + SCREENSHOT.toAbsolutePath()).isGreaterThan(10_000);

            temporal.run(cookbook.command("--name approve ", id));
            assertThat(JSON.readTree(temporal.run(cookbook.command("workflow result", id)))
                    .at("/result/outcome").asText()).isEqualTo("COMPLETED");
        }
    }

    /** The dev server's Web UI, on the port {@code scripts/services.sh} started it with. */
    private static String uiUrl() {
        String port = System.getenv("RUNBOOKS_TEMPORAL_UI_PORT");
        if (port == null) {
            throw new IllegalStateException("RUNBOOKS_TEMPORAL_UI_PORT is not set: run through `bash .ci/run` or "
                    + "`bash scripts/with-services.sh`, which start the dev server with its UI");
        }
        return "http://" + TestServices.get().temporalAddress().split(":")[0] + ":" + port;
    }
}
