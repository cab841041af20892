package org.runbooks.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class NotifyActivitiesImplTest {

    /** One attempt only: a test that fails should fail at once, not retry into its timeout. */
    private static final ActivityOptions ONE_ATTEMPT = ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(1))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build();
    private static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");
    /** The path stands in for a token inside a webhook URL: it must never show up in a failure. */
    private static final String SECRET_PATH = "/hooks/s3cr3t-path";
    private static final Notification NOTIFICATION = new Notification("run-1/canary/tell-ops", "ops-chat",
            "orders-to-v2", "canary", "tell-ops", "canary at 10%, watching errors");

    /** What the webhook received, one entry per request. */
    private record Received(String method, String path, Headers headers, String body) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String answer = "";
    private HttpServer server;
    private TestActivityEnvironment testEnv;
    private NotifyActivities notify;

    @BeforeEach
    void setUp() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders(), new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8)));
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.start();
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + SECRET_PATH);
        start(registry(new Webhook("ops-chat", url, Map.of("Authorization", "Bearer t0ken", "X-Team", "data"))));
    }

    private void start(WebhookRegistry webhooks) {
        testEnv = TestActivityEnvironment.newInstance();
        testEnv.registerActivitiesImplementations(new NotifyActivitiesImpl(webhooks, HttpClient.newHttpClient(),
                Clock.fixed(NOW, ZoneOffset.UTC)));
        notify = testEnv.newActivityStub(NotifyActivities.class, ONE_ATTEMPT);
    }

    @AfterEach
    void tearDown() {
        testEnv.close();
        server.stop(0);
    }

    @Test
    void postsTheNotificationAsJsonWithTheConfiguredHeaders() throws IOException {
        status = 204;

        String result = notify.notify(NOTIFICATION);

        assertThat(result).isEqualTo("HTTP 204");
        assertThat(received).hasSize(1);
        Received request = received.getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo(SECRET_PATH);
        assertThat(request.headers().getFirst("Content-Type")).isEqualTo("application/json");
        assertThat(request.headers().getFirst("Authorization")).isEqualTo("Bearer t0ken");
        assertThat(request.headers().getFirst("X-Team")).isEqualTo("data");
        assertThat(request.headers().getFirst("Idempotency-Key")).isEqualTo("run-1/canary/tell-ops");
        assertThat(new ObjectMapper().readValue(request.body(), Map.class)).isEqualTo(Map.of(
                "text", "canary at 10%, watching errors",
                "blocks", List.of(
                        Map.of("type", "section", "text", Map.of("type", "mrkdwn",
                                "text", "canary at 10%, watching errors")),
                        Map.of("type", "context", "elements", List.of(Map.of("type", "mrkdwn",
                                "text", "runbook *orders-to-v2* · phase *canary* · step *tell-ops*")))),
                "idempotencyKey", "run-1/canary/tell-ops",
                "runbook", "orders-to-v2",
                "phase", "canary",
                "step", "tell-ops",
                "message", "canary at 10%, watching errors",
                "sentAt", "2026-03-04T05:06:07Z"));
    }

    @Test
    void slackMarkupInTheMessageIsEscapedInTextAndBlocksButNotInMessage() throws IOException {
        status = 204;
        Notification gate = new Notification("run-1/auto-1", "ops-chat", "orders-to-v2", null, null,
                "approve with --input '{\"by\":\"<you>\"}' & say why");

        notify.notify(gate);

        Map<?, ?> body = new ObjectMapper().readValue(received.getFirst().body(), Map.class);
        assertThat(body.get("text")).isEqualTo("approve with --input '{\"by\":\"&lt;you&gt;\"}' &amp; say why");
        assertThat(body.get("message")).isEqualTo(gate.message());
        assertThat(body.get("blocks").toString()).contains("runbook *orders-to-v2*").doesNotContain("phase *");
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 502, 503})
    void busyOrBrokenWebhookFailsSoTheActivityRetries(int busy) {
        status = busy;
        answer = "try later";

        ApplicationFailure failure = failureOf(NOTIFICATION);

        assertThat(failure.isNonRetryable()).isFalse();
        assertThat(failure.getType()).isEqualTo(NotifyActivitiesImpl.WEBHOOK_UNAVAILABLE);
        assertThat(failure.getOriginalMessage())
                .isEqualTo("webhook 'ops-chat' answered HTTP " + busy + ": try later")
                .doesNotContain(SECRET_PATH);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 410})
    void refusedRequestFailsForGood(int refused) {
        status = refused;
        answer = "no such channel";

        ApplicationFailure failure = failureOf(NOTIFICATION);

        assertThat(failure.isNonRetryable()).isTrue();
        assertThat(failure.getType()).isEqualTo(NotifyActivitiesImpl.WEBHOOK_REJECTED);
        assertThat(failure.getOriginalMessage()).isEqualTo("webhook 'ops-chat' answered HTTP " + refused
                + ": no such channel");
    }

    @Test
    void unknownWebhookFailsForGoodNamingTheKnownOnes() {
        Notification elsewhere = new Notification("run-1/canary/tell-ops", "pager", "orders-to-v2", "canary",
                "tell-ops", "hello");

        ApplicationFailure failure = failureOf(elsewhere);

        assertThat(failure.isNonRetryable()).isTrue();
        assertThat(failure.getType()).isEqualTo("UnknownWebhook");
        assertThat(failure.getOriginalMessage()).isEqualTo("unknown webhook 'pager'; this worker knows [ops-chat]"
                + " (configure runbooks.webhooks.pager.url)");
        assertThat(received).isEmpty();
    }

    @Test
    void unreachableWebhookFailsSoTheActivityRetries() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        testEnv.close();
        start(registry(new Webhook("ops-chat", URI.create("http://127.0.0.1:" + closedPort + SECRET_PATH), Map.of())));

        ApplicationFailure failure = failureOf(NOTIFICATION);

        assertThat(failure.isNonRetryable()).isFalse();
        assertThat(failure.getType()).isEqualTo(NotifyActivitiesImpl.WEBHOOK_UNAVAILABLE);
        assertThat(failure.getOriginalMessage()).startsWith("webhook 'ops-chat' could not be reached: ")
                .doesNotContain(SECRET_PATH);
    }

    @Test
    void webhookShowsNeitherItsPathNorItsHeaderValues() {
        Webhook webhook = new Webhook("ops-chat", URI.create("https://hooks.example.test" + SECRET_PATH),
                Map.of("Authorization", "Bearer t0ken"));

        assertThat(webhook.toString()).isEqualTo("Webhook[name=ops-chat, host=hooks.example.test,"
                + " headers=[Authorization]]");
    }

    private ApplicationFailure failureOf(Notification notification) {
        Throwable thrown = catchThrowable(() -> notify.notify(notification));
        assertThat(thrown).as("the activity should fail").isInstanceOf(ActivityFailure.class);
        assertThat(thrown.getCause()).isInstanceOf(ApplicationFailure.class);
        return (ApplicationFailure) thrown.getCause();
    }

    private static WebhookRegistry registry(Webhook... webhooks) {
        Map<String, Webhook> byName = java.util.Arrays.stream(webhooks)
                .collect(Collectors.toMap(Webhook::name, Function.identity()));
        return new WebhookRegistry() {
            @Override
            public Set<String> names() {
                return byName.keySet();
            }

            @Override
            public Optional<Webhook> resolve(String name) {
                return Optional.ofNullable(byName.get(name));
            }
        };
    }
}
