package org.runbooks.model;

import java.util.List;

/**
 * Keeps table {@code to} in step with the live table {@code from}: every change committed on {@code from} after the
 * step fixes its start position reaches {@code to}, applied in source commit order, until the runbook stops the
 * stream (a cutover, a rollback, or its end). The stream outlives its phase.
 *
 * @param awaitsCopies the backfills of this runbook that copy into {@code to} after this step: the stream holds its
 *                     changes until they have all completed, then applies everything since its start position
 *                     (filled by the parser; empty when none, and then the stream applies at once)
 */
public record StreamStep(String id, TableRef from, TableRef to, List<String> key, List<String> awaitsCopies)
        implements Step {

    public StreamStep {
        key = List.copyOf(key);
        awaitsCopies = awaitsCopies == null ? List.of() : List.copyOf(awaitsCopies);
    }

    /** This step with the backfills it waits for. */
    public StreamStep awaiting(List<String> copies) {
        return new StreamStep(id, from, to, key, copies);
    }

    @Override
    public StepKind kind() {
        return StepKind.STREAM;
    }
}
