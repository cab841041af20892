package org.runbooks.model;

import java.util.List;
import java.util.Optional;

/**
 * One migration, as parsed from a file in {@code runbooks/}. It names connections and never holds credentials:
 * the worker's configuration maps each connection name to a data source.
 *
 * @param autoNotify where automatic notifications go, or null when the runbook asks for none
 * @param controls   who may send the operator commands with consequences; {@link ControlPolicy#OPEN} without a
 *                   {@code controls:} block, and in runbooks recorded before it existed
 */
public record Runbook(String apiVersion, String name, String owner, String description, List<Phase> phases,
                      AutoNotify autoNotify, ControlPolicy controls) {

    public Runbook {
        phases = List.copyOf(phases);
        controls = controls == null ? ControlPolicy.OPEN : controls;
    }

    /** A runbook without a controls block. */
    public Runbook(String apiVersion, String name, String owner, String description, List<Phase> phases,
                   AutoNotify autoNotify) {
        this(apiVersion, name, owner, description, phases, autoNotify, ControlPolicy.OPEN);
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
