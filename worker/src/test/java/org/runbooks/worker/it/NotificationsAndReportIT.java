package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The orders runbook with {@code notify: {webhook: ops-channel}} on the real stack: the posts a chat channel gets
 * (Slack's incoming-webhook shape, in the order the runbook sent them) and the report files it leaves, once approved
 * to completion and once rejected into a rollback.
 */
class NotificationsAndReportIT {

    private static final int ROWS = 5_000;
    private static final String FILE = "worker/target/scenario-runbooks/orders-to-v2-notify.yaml";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestServices services;
    private static TemporalCli temporal;

    @BeforeAll
    static void services() throws Exception {
        services = TestServices.get();
        temporal = new TemporalCli(services);
        String orders = Files.readString(Path.of("..", "runbooks", "orders-to-v2.yaml"));
        Path copy = Path.of("target", "scenario-runbooks", "orders-to-v2-notify.yaml");
        Files.createDirectories(copy.getParent());
        Files.writeString(copy, orders.replace("\nphases:", "\nnotify: { webhook: ops-channel }\nphases:"));
    }

    @Test
    void approvedRunbookPostsTheGateItsApprovalAndTheOutcomeAndReportsTheSignOff() throws Exception {
        OrdersDatabases dbs = new OrdersDatabases(services, "notify_approve", ROWS);
        ScenarioRun run = ScenarioRun.ofFile(temporal, "notify-approve", FILE);
        Path reports = Path.of("target", "it-reports", "approve");
        try (WebhookReceiver channel = new WebhookReceiver(); RunningWorker ignored = worker(dbs, channel, reports)) {
            run.start();
            run.awaitGate("go-no-go");
            List<String> waiting = awaitTexts(channel, 1);
            assertThat(waiting.get(0)).isEqualTo("orders-to-v2: gate go-no-go is waiting for 1 of orders-owner,"
                    + " dba-oncall. Approve with: temporal workflow signal --workflow-id notify-approve --name approve"
                    + " --input '{\"gate\":\"go-no-go\",\"by\":\"&lt;you&gt;\",\"comment\":\"&lt;why&gt;\"}'");

            run.approve("go-no-go", "dba-oncall");
            JsonNode result = run.result().at("/result");

            assertThat(result.at("/outcome").asText()).isEqualTo("COMPLETED");
            String markdown = result.at("/report/markdown").asText();
            List<String> texts = awaitTexts(channel, 3);
            assertThat(texts.get(1)).isEqualTo("orders-to-v2: gate go-no-go approved (gate go-no-go approved by"
                    + " dba-oncall)");
            assertThat(texts.get(2)).matches("orders-to-v2 ended COMPLETED after \\d+\\.\\d s\\. Report: .*")
                    .endsWith("Report: " + markdown);
            assertSlackShape(channel, "notify-approve/");

            assertThat(Path.of(markdown)).isEqualTo(reports.toAbsolutePath().normalize()
                    .resolve(Path.of(markdown).getFileName())).isRegularFile();
            assertThat(Files.readString(Path.of(markdown)))
                    .contains("| Outcome | **COMPLETED** |")
                    .contains("| go-no-go | dba-oncall | approve | looks right | yes |")
                    .contains("|  | copy-orders | backfill |")
                    .contains("### parity: passed")
                    .endsWith("## Outcome\n\n**COMPLETED**\n");
            JsonNode json = JSON.readTree(Path.of(result.at("/report/json").asText()).toFile());
            assertThat(json.at("/outcome").asText()).isEqualTo("COMPLETED");
            assertThat(json.at("/gates/0/by").asText()).isEqualTo("dba-oncall");
            assertThat(json.at("/phases").findValuesAsText("phase"))
                    .containsExactly("backfill", "validate", "gate", "cutover");
            assertThat(json.at("/rowsCopied").asLong()).isEqualTo(ROWS);
        }
    }

    @Test
    void rejectedRunbookPostsTheRejectionAndTheRollbackAndReportsTheCompensations() throws Exception {
        OrdersDatabases dbs = new OrdersDatabases(services, "notify_reject", ROWS);
        ScenarioRun run = ScenarioRun.ofFile(temporal, "notify-reject", FILE);
        Path reports = Path.of("target", "it-reports", "reject");
        try (WebhookReceiver channel = new WebhookReceiver(); RunningWorker ignored = worker(dbs, channel, reports)) {
            run.start();
            run.awaitGate("go-no-go");
            run.reject("go-no-go", "orders-owner", "p99 latency doubled");
            JsonNode result = run.result().at("/result");

            assertThat(result.at("/outcome").asText()).isEqualTo("ROLLED_BACK");
            String why = "gate go-no-go rejected by orders-owner: p99 latency doubled";
            List<String> texts = awaitTexts(channel, 5);
            assertThat(texts.get(0)).startsWith("orders-to-v2: gate go-no-go is waiting for 1 of");
            assertThat(texts.subList(1, 5)).satisfiesExactly(
                    rejected -> assertThat(rejected).isEqualTo("orders-to-v2: gate go-no-go rejected (" + why + ")"),
                    rolling -> assertThat(rolling).isEqualTo("orders-to-v2: rolling back everything: " + why),
                    rolled -> assertThat(rolled).matches("orders-to-v2: rolled back everything in \\d+\\.\\d s:"
                            + " 1 compensation\\(s\\), all succeeded"),
                    ended -> assertThat(ended).startsWith("orders-to-v2 ended ROLLED_BACK after ")
                            .endsWith(": " + why + ". Report: " + result.at("/report/markdown").asText()));
            assertSlackShape(channel, "notify-reject/");

            String markdown = Files.readString(Path.of(result.at("/report/markdown").asText()));
            assertThat(markdown).contains("| Outcome | **ROLLED_BACK** |")
                    .contains("| go-no-go | orders-owner | reject | p99 latency doubled | yes |")
                    .contains("| everything | " + why + " |")
                    .contains("| copy-orders | ")
                    .contains("deleted " + ROWS + " of " + ROWS + " copied rows");
            JsonNode json = JSON.readTree(Path.of(result.at("/report/json").asText()).toFile());
            assertThat(json.at("/outcome").asText()).isEqualTo("ROLLED_BACK");
            assertThat(json.at("/compensations/0/stepId").asText()).isEqualTo("copy-orders");
            assertThat(json.at("/rollbacks/0/compensations").asInt()).isEqualTo(1);
            assertThat(dbs.targetRows()).isZero();
        }
    }

    private static RunningWorker worker(OrdersDatabases dbs, WebhookReceiver channel, Path reports) {
        return RunningWorker.start(services, Map.of("legacy", dbs.legacyUrl, "target", dbs.targetUrl),
                Map.of("runbooks.webhooks.ops-channel.url", channel.url(), "runbooks.reports.dir", reports.toString()));
    }

    /** The {@code text} of each post once {@code count} arrived, in the order the runbook sent them. */
    private static List<String> awaitTexts(WebhookReceiver channel, int count) throws Exception {
        List<JsonNode> posts = Awaits.until(count + " posts to the channel", Duration.ofSeconds(60),
                Duration.ofMillis(200), () -> List.copyOf(channel.received), received -> received.size() >= count);
        return posts.stream().sorted(Comparator.comparingInt(NotificationsAndReportIT::sequence))
                .map(post -> post.at("/text").asText()).toList();
    }

    /** Automatic posts are keyed {@code <workflow id>/<run id>/auto-N}, N counting up in the runbook. */
    private static int sequence(JsonNode post) {
        String key = post.at("/idempotencyKey").asText();
        return Integer.parseInt(key.substring(key.lastIndexOf("/auto-") + "/auto-".length()));
    }

    /** Slack's incoming-webhook shape: text, a section block with the same text, a context block naming the runbook. */
    private static void assertSlackShape(WebhookReceiver channel, String keyPrefix) {
        assertThat(channel.received).allSatisfy(post -> {
            assertThat(post.at("/idempotencyKey").asText()).startsWith(keyPrefix);
            assertThat(post.at("/blocks/0/type").asText()).isEqualTo("section");
            assertThat(post.at("/blocks/0/text/type").asText()).isEqualTo("mrkdwn");
            assertThat(post.at("/blocks/0/text/text").asText()).isEqualTo(post.at("/text").asText());
            assertThat(post.at("/blocks/1/type").asText()).isEqualTo("context");
            assertThat(post.at("/blocks/1/elements/0/text").asText()).startsWith("runbook *orders-to-v2*");
        });
    }
}
