package org.runbooks.worker;

import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;
import org.runbooks.notify.Webhook;
import org.runbooks.notify.WebhookRegistry;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The webhooks of this worker's configuration ({@link WebhookProperties}), checked when the worker starts, so a
 * missing or malformed URL stops the worker with the property to fix instead of failing a runbook later.
 */
@Singleton
public class WebhookDirectory implements WebhookRegistry {

    private final Map<String, Webhook> webhooks = new LinkedHashMap<>();

    public WebhookDirectory(List<WebhookProperties> configured) {
        for (WebhookProperties properties : configured) {
            webhooks.put(properties.getName(), webhook(properties));
        }
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(webhooks.keySet());
    }

    @Override
    public Optional<Webhook> resolve(String name) {
        return Optional.ofNullable(webhooks.get(name));
    }

    private static Webhook webhook(WebhookProperties properties) {
        String property = "runbooks.webhooks." + properties.getName() + ".url";
        if (properties.getUrl() == null || properties.getUrl().isBlank()) {
            throw new ConfigurationException(property + " is missing");
        }
        try {
            return new Webhook(properties.getName(), new URI(properties.getUrl()), properties.getHeaders());
        } catch (URISyntaxException | IllegalArgumentException e) {
            // Neither the URL nor the parser's message (which quotes it) is repeated: the URL may carry a token.
            throw new ConfigurationException(property + " must be an absolute http or https URL");
        }
    }
}
