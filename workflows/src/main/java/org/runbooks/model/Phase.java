package org.runbooks.model;

import java.util.List;

/**
 * An ordered stage of a runbook; it runs as its own child workflow. Phases that share a {@code domain} (a subject
 * area, such as "customers") are rolled back together and only together when one of them is rejected or fails.
 * {@code pauseOnFailure} names the steps whose runbook says {@code onFailure: pause}: when one fails after its
 * retries, the phase waits for an operator to retry it, skip it or roll back, instead of rolling back at once.
 */
public record Phase(String name, List<Step> steps, String domain, List<String> pauseOnFailure) {

    public Phase {
        steps = List.copyOf(steps);
        pauseOnFailure = pauseOnFailure == null ? List.of() : List.copyOf(pauseOnFailure);
    }

    public Phase(String name, List<Step> steps, String domain) {
        this(name, steps, domain, List.of());
    }

    public Phase(String name, List<Step> steps) {
        this(name, steps, null, List.of());
    }
}
