package org.runbooks.notify;

import java.util.Optional;
import java.util.Set;

/**
 * Resolves the webhook names that runbooks use to real endpoints. URLs and tokens live behind this interface, in the
 * worker's configuration, and never in a workflow's input, result, signal or query.
 */
public interface WebhookRegistry {

    /** The names this worker can resolve; the runbook parser checks notify steps against them. */
    Set<String> names();

    /** The webhook configured as {@code name}, or empty when there is none. */
    Optional<Webhook> resolve(String name);
}
