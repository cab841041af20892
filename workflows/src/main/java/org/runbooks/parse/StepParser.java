package org.runbooks.parse;

import org.runbooks.model.Step;

/**
 * Reads one kind of step from the mapping under its key ({@code backfill: {...}}); each kind has one, listed in
 * {@link StepKinds}. It reports every error on {@code body} and returns the step it could read, even if incomplete:
 * the parser throws once all are known.
 *
 * @param <S> the kind of step
 */
interface StepParser<S extends Step> {

    S parse(String id, Node body);

    /**
     * The step tied to the steps before it, once every step is read (a catch-up to the stream step it names); the
     * step itself when it names none. Errors go to {@code ties}.
     */
    default Step tie(S step, Ties ties) {
        return step;
    }
}
