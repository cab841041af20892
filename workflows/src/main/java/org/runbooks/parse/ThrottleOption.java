package org.runbooks.parse;

import org.runbooks.model.BackfillThrottle;

import java.net.URI;

/**
 * A backfill's {@code throttle}: {@code {query, connection, max}} (a read-only SELECT returning one number) or
 * {@code {endpoint, max}} (the name of an HTTP endpoint in the worker's configuration whose body is one number). A
 * URL is refused: a runbook names endpoints, the worker's configuration says where they are.
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
        if (node.has("url")) {
            node.skip("url");
            node.error(node.child("url"), "a runbook does not name addresses: define the probe as a webhook in the "
                    + "worker's configuration (runbooks.webhooks) and write endpoint: <its name>");
        }
        boolean hasQuery = node.has("query");
        boolean hasEndpoint = node.has("endpoint");
        String query = node.optionalText("query", null);
        String endpoint = node.optionalText("endpoint", null);
        String connection = null;
        if (hasQuery == hasEndpoint) {
            if (!node.has("url")) {
                node.error(node.path(), "needs exactly one of query (with connection) or endpoint");
            }
            node.skip("connection");
        } else if (hasQuery) {
            Fields.readQuery(node, "query", query);
            connection = Fields.connection(node, "connection");
        } else {
            if (node.has("connection")) {
                node.skip("connection");
                node.error(node.child("connection"), "only goes with query; an endpoint probe needs none");
            }
            if (endpoint != null) {
                node.checks().webhook(node.child("endpoint"), endpoint);
            }
        }
        Double max = node.optionalNumber("max");
        if (max == null && !node.has("max")) {
            node.error(node.child("max"), "is required");
        }
        node.rejectUnknownKeys();
        boolean complete = max != null && (hasQuery ? query != null && connection != null : endpoint != null);
        return hasQuery != hasEndpoint && complete ? new BackfillThrottle(query, connection, null, max, endpoint)
                : null;
    }
}
