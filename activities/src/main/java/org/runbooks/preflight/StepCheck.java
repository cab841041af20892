package org.runbooks.preflight;

import org.runbooks.model.Step;

/**
 * Pre-flight of one kind of step: what it will read and write, asked of the databases before anything runs. Each
 * kind that touches a database has one, listed in {@link StepChecks}.
 *
 * @param <S> the kind of step
 */
@FunctionalInterface
interface StepCheck<S extends Step> {

    /** Checks {@code step}, each finding placed below the step through {@code at}. */
    void check(S step, OpenConnections connections, StepFindings at);
}
