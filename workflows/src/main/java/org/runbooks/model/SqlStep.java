package org.runbooks.model;

/**
 * Runs {@code apply} on {@code connection}; its compensation runs {@code revert}. A step without a revert must say
 * {@code irreversible: true}. The SQL is taken as written and never has runbook values put into it.
 */
public record SqlStep(String id, String connection, String apply, String revert, boolean irreversible)
        implements Step {
}
