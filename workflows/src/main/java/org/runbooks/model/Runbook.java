package org.runbooks.model;

import java.util.List;
import java.util.Optional;

/**
 * One migration, as parsed from a file in {@code runbooks/}. It names connections and never holds credentials:
 * the worker's configuration maps each connection name to a data source.
 *
 * @param autoNotify where automatic notifications go, or null when the runbook asks for none
 */
public record Runbook(String apiVersion, String name, String owner, String description, List<Phase> phases,
                      AutoNotify autoNotify) {

    public Runbook {
        phases = List.copyOf(phases);
    }

    /** A runbook without automatic notifications. */
    public Runbook(String apiVersion, String name, String owner, String description, List<Phase> phases) {
        this(apiVersion, name, owner, description, phases, null);
    }

    /** The step with this id, wherever it stands. */
    public Optional<Step> step(String stepId) {
        return phases.stream().flatMap(p -> p.steps().stream()).filter(s -> s.id().equals(stepId)).findFirst();
    }

    public int stepCount() {
        return phases.stream().mapToInt(p -> p.steps().size()).sum();
    }
}
