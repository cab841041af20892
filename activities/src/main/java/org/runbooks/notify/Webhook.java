package org.runbooks.notify;

import java.net.URI;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a named webhook posts, and the headers it sends (an authorization token, a team name). It comes from the
 * worker's configuration only: runbooks and workflow histories carry the name, never the URL or a header, because
 * either may hold a secret. For the same reason {@link #toString()} shows the host and the header names only.
 */
public record Webhook(String name, URI url, Map<String, String> headers) {

    public Webhook {
        if (url == null || !url.isAbsolute() || url.getHost() == null
                || !("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()))) {
            // The URL itself is not repeated: it may carry a token.
            throw new IllegalArgumentException("webhook '" + name + "' needs an absolute http or https url");
        }
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    @Override
    public String toString() {
        return "Webhook[name=" + name + ", host=" + url.getHost() + ", headers=" + new TreeMap<>(headers).keySet()
                + "]";
    }
}
