package org.runbooks.model;

/**
 * Sets feature flag {@code name} in the flags table on {@code connection} to {@code percent} (0 is off, 100 is on).
 * Its compensation restores the value the flag had before, or removes the flag if it did not exist.
 */
public record FlagStep(String id, String connection, String name, int percent) implements Step {

    @Override
    public StepKind kind() {
        return StepKind.FLAG;
    }
}
