package org.runbooks.backfill;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * The worker's named HTTP endpoints (its webhooks) as a throttle probe reads them: a runbook names one, the worker's
 * configuration says where it is and which headers (a token) it takes.
 */
@FunctionalInterface
public interface ProbeEndpoints {

    /** No endpoint at all. */
    ProbeEndpoints NONE = name -> Optional.empty();

    /** Where a named endpoint is; its URL and headers may hold a secret, so messages name it by {@code name}. */
    record Endpoint(String name, URI url, Map<String, String> headers) {

        public Endpoint {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }
    }

    Optional<Endpoint> resolve(String name);
}
