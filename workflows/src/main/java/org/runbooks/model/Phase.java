package org.runbooks.model;

import java.util.List;

/**
 * An ordered stage of a runbook; it runs as its own child workflow. Phases that share a {@code domain} (a subject
 * area, such as "customers") are rolled back together and only together when one of them is rejected or fails.
 */
public record Phase(String name, List<Step> steps, String domain) {

    public Phase {
        steps = List.copyOf(steps);
    }

    public Phase(String name, List<Step> steps) {
        this(name, steps, null);
    }
}
