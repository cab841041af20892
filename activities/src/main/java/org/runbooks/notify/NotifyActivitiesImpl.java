package org.runbooks.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.failure.ApplicationFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeSet;

/**
 * Posts a notification as JSON to a webhook from the worker's configuration. A webhook that is down, slow or asks to
 * be called later (408, 429, 5xx, or no answer) fails retryably; one that refuses the request (any other status)
 * fails for good, since sending the same request again gets the same answer. Failure messages name the webhook,
 * never its URL, which may carry a token.
 */
public class NotifyActivitiesImpl implements NotifyActivities {

    /** Failure types as they appear in workflow history. */
    public static final String UNKNOWN_WEBHOOK = "UnknownWebhook";
    public static final String WEBHOOK_UNAVAILABLE = "WebhookUnavailable";
    public static final String WEBHOOK_REJECTED = "WebhookRejected";
    public static final String WEBHOOK_MISCONFIGURED = "WebhookMisconfigured";

    /** Longest wait for a webhook to accept the connection: 5 s. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Longest wait for a webhook's answer once connected: 10 s. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Most of a webhook's answer quoted in a failure: 300 bytes. */
    static final int QUOTED_BYTES = 300;

    private static final Logger log = LoggerFactory.getLogger(NotifyActivitiesImpl.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebhookRegistry webhooks;
    private final HttpClient http;
    private final Clock clock;

    public NotifyActivitiesImpl(WebhookRegistry webhooks) {
        this(webhooks, HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build(), Clock.systemUTC());
    }

    NotifyActivitiesImpl(WebhookRegistry webhooks, HttpClient http, Clock clock) {
        this.webhooks = webhooks;
        this.http = http;
        this.clock = clock;
    }

    /** Sends the same {@code idempotencyKey} on every attempt, in the body and as an {@code Idempotency-Key} header. */
    @Override
    public String notify(Notification notification) {
        Webhook webhook = webhooks.resolve(notification.webhook()).orElseThrow(() ->
                ApplicationFailure.newNonRetryableFailure("unknown webhook '" + notification.webhook()
                        + "'; this worker knows " + new TreeSet<>(webhooks.names()) + " (configure runbooks.webhooks."
                        + notification.webhook() + ".url)", UNKNOWN_WEBHOOK));
        HttpRequest request = request(webhook, notification);
        HttpResponse<InputStream> response = send(webhook, request);
        int status = response.statusCode();
        String answer = quote(response);
        if (status >= 200 && status < 300) {
            log.info("runbook={} phase={} step={} webhook {} answered HTTP {}", notification.runbook(),
                    notification.phase(), notification.step(), webhook.name(), status);
            return "HTTP " + status;
        }
        String message = "webhook '" + webhook.name() + "' answered HTTP " + status + answer;
        if (status == 408 || status == 429 || status >= 500) {
            throw ApplicationFailure.newFailure(message, WEBHOOK_UNAVAILABLE);
        }
        throw ApplicationFailure.newNonRetryableFailure(message, WEBHOOK_REJECTED);
    }

    private HttpRequest request(Webhook webhook, Notification notification) {
        WebhookMessage body = WebhookMessage.of(notification, clock.instant().toString());
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(webhook.url())
                    .timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", notification.idempotencyKey())
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8));
            for (Map.Entry<String, String> header : webhook.headers().entrySet()) {
                request.setHeader(header.getKey(), header.getValue());
            }
            return request.build();
        } catch (IllegalArgumentException e) {
            // A header the HTTP client refuses (Host, Content-Length, ...) or a malformed one: fix the configuration.
            throw ApplicationFailure.newNonRetryableFailure("webhook '" + webhook.name() + "' has a header this worker"
                    + " cannot send (" + e.getMessage() + "); fix runbooks.webhooks." + webhook.name() + ".headers",
                    WEBHOOK_MISCONFIGURED);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a notification as JSON", e);
        }
    }

    private HttpResponse<InputStream> send(Webhook webhook, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw ApplicationFailure.newFailure("webhook '" + webhook.name() + "' could not be reached: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()),
                    WEBHOOK_UNAVAILABLE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApplicationFailure.newFailure("interrupted while posting to webhook '" + webhook.name() + "'",
                    WEBHOOK_UNAVAILABLE);
        }
    }

    /** The start of the answer's body, for the failure message; the rest is not read. */
    private static String quote(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            String text = new String(body.readNBytes(QUOTED_BYTES), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "" : ": " + text;
        } catch (IOException e) {
            return "";
        }
    }
}
