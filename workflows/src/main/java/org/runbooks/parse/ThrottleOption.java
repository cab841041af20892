package org.runbooks.parse;

import org.runbooks.model.BackfillThrottle;

import java.net.URI;

/**
 * A backfill's {@code throttle}: {@code {query, connection, max}} (a read-only SELECT returning one number) or
 * {@code {url, max}} (an http(s) URL whose body is one number).
 */
final class ThrottleOption {

    private ThrottleOption() {
    }

    /** The probe, or null when absent or wrong (the errors then name each field). */
    static BackfillThrottle read(Node body) {
        Node node = body.object("throttle", false);
        if (node == null) {
            return null;
        }
        boolean hasQuery = node.has("query");
        boolean hasUrl = node.has("url");
        String query = node.optionalText("query", null);
        String url = node.optionalText("url", null);
        String connection = null;
        if (hasQuery == hasUrl) {
            node.error(node.path(), "needs exactly one of query (with connection) or url");
            node.skip("connection");
        } else if (hasQuery) {
            DataSteps.readQuery(node, "query", query);
            connection = DataSteps.connection(node, "connection");
        } else {
            if (node.has("connection")) {
                node.skip("connection");
                node.error(node.child("connection"), "only goes with query; a url probe needs none");
            }
            if (url != null && !isHttpUrl(url)) {
                node.error(node.child("url"), "must be an http:// or https:// URL, not '" + url + "'");
            }
        }
        Double max = node.optionalNumber("max");
        if (max == null && !node.has("max")) {
            node.error(node.child("max"), "is required");
        }
        node.rejectUnknownKeys();
        boolean complete = max != null && (hasQuery ? query != null && connection != null : url != null);
        return hasQuery != hasUrl && complete ? new BackfillThrottle(query, connection, url, max) : null;
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = URI.create(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
