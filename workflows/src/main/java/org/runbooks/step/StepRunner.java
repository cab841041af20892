package org.runbooks.step;

import org.runbooks.api.PhaseResult;
import org.runbooks.model.Step;

/**
 * Runs one kind of step inside its phase's workflow. Each kind's package has one; the phase only dispatches to it.
 * Workflow code: deterministic, and every command (activity, timer, signal, version marker) in the same order on
 * every run.
 *
 * @param <S> the kind of step
 */
public interface StepRunner<S extends Step> {

    /**
     * Runs {@code step}: tells the runbook it started (with its compensation) and completed through {@code context},
     * and returns null when the phase goes on, or the result that stops the phase (a failed validation, a rejected
     * gate). A failing activity may also throw its {@code ActivityFailure}: the phase turns it into a failed step.
     */
    PhaseResult run(S step, StepContext context);
}
