package org.runbooks.worker;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One named webhook, under {@code runbooks.webhooks.<name>}: {@code url} (http or https) and optional
 * {@code headers.<header>} sent with every post, such as an authorization token. Runbooks use the name; the URL and
 * the headers, which may hold secrets, never leave the worker.
 */
@EachProperty("runbooks.webhooks")
public class WebhookProperties {

    private final String name;
    private String url;
    private Map<String, String> headers = new LinkedHashMap<>();

    public WebhookProperties(@Parameter String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public Map<String, String> getHeaders() {
        return headers;
    }

    public void setHeaders(Map<String, String> headers) {
        this.headers = headers == null ? new LinkedHashMap<>() : headers;
    }
}
