package org.runbooks.model;

import java.util.List;

/** An ordered stage of a runbook; it runs as its own child workflow. */
public record Phase(String name, List<Step> steps) {

    public Phase {
        steps = List.copyOf(steps);
    }
}
