package org.runbooks.worker;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.runbooks.notify.Webhook;
import org.runbooks.notify.WebhookRegistry;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Webhooks bind from {@code runbooks.webhooks.<name>} in the worker's configuration. The whole application context
 * starts (without its HTTP server, so the worker does not poll), with the demo pointed at throwaway in-memory
 * databases.
 */
class WebhookPropertiesTest {

    @Test
    void webhooksBindFromPropertiesWithTheirHeaders() {
        Map<String, Object> properties = withDemoInMemory(Map.of(
                "runbooks.webhooks.ops-chat.url", "https://hooks.example.test/services/T0/B0/s3cr3t",
                "runbooks.webhooks.ops-chat.headers.Authorization", "Bearer t0ken",
                "runbooks.webhooks.ops-chat.headers.X-Team", "data",
                "runbooks.webhooks.pager.url", "http://127.0.0.1:9/alert"));

        try (ApplicationContext context = ApplicationContext.run(properties)) {
            WebhookRegistry webhooks = context.getBean(WebhookRegistry.class);

            assertThat(webhooks.names()).as("with the demo's default").containsExactlyInAnyOrder("ops-chat", "pager", "ops-channel");
            Webhook chat = webhooks.resolve("ops-chat").orElseThrow();
            assertThat(chat.url()).isEqualTo(URI.create("https://hooks.example.test/services/T0/B0/s3cr3t"));
            assertThat(headerValue(chat, "authorization")).isEqualTo("Bearer t0ken");
            assertThat(headerValue(chat, "x-team")).isEqualTo("data");
            assertThat(webhooks.resolve("pager").orElseThrow().headers()).isEmpty();
            assertThat(webhooks.resolve("ops")).isEmpty();
            assertThat(context.getBean(RunbookWorker.class)).isNotNull();
        }
    }

    @Test
    void theDefaultsNameOnlyTheDemosOpsChannel() {
        try (ApplicationContext context = ApplicationContext.run(withDemoInMemory(Map.of()))) {
            assertThat(context.getBean(WebhookRegistry.class).names()).containsExactly("ops-channel");
        }
    }

    @Test
    void webhookWithoutAnHttpUrlStopsTheWorkerNamingTheProperty() {
        Map<String, Object> properties = withDemoInMemory(Map.of(
                "runbooks.webhooks.ops-chat.url", "hooks.example.test/s3cr3t"));

        Throwable thrown = catchThrowable(() -> ApplicationContext.run(properties).close());

        assertThat(thrown).isNotNull();
        Throwable cause = thrown;
        while (!(cause instanceof ConfigurationException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertThat(cause).isInstanceOf(ConfigurationException.class)
                .hasMessage("runbooks.webhooks.ops-chat.url must be an absolute http or https URL");
        assertThat(cause.getMessage()).doesNotContain("s3cr3t");
    }

    /** HTTP header names are case-insensitive; configuration may keep or fold their case. */
    private static String headerValue(Webhook webhook, String name) {
        return webhook.headers().entrySet().stream()
                .filter(header -> header.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    private static Map<String, Object> withDemoInMemory(Map<String, Object> webhooks) {
        Map<String, Object> properties = new HashMap<>(webhooks);
        String suffix = Long.toHexString(System.nanoTime());
        properties.put("runbooks.connections.legacy.url", "jdbc:h2:mem:legacy" + suffix + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE");
        properties.put("runbooks.connections.target.url", "jdbc:h2:mem:target" + suffix + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE");
        properties.put("runbooks.demo.seed-rows", "10");
        return properties;
    }
}
