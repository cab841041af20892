package org.runbooks.step;

import org.runbooks.model.Step;

import java.util.List;

/**
 * What one kind of step does and what undoes it, in the words of {@code plan}. Each kind's package has one, beside
 * its runner; {@code plan} prints them in runbook order.
 *
 * @param <S> the kind of step
 */
public interface PlanLines<S extends Step> {

    /**
     * One or more lines saying what {@code step} does, each without indentation; {@code keyRanges} is how many key
     * ranges pre-flight found a backfill can copy at once (null where not known, and for every other kind).
     */
    List<String> does(S step, KeyRanges keyRanges);

    /** What its compensation does: an action, {@code none (...)} or {@code irreversible (...)}. */
    String compensation(S step);

    /** {@code text} on one line, its runs of white space made one space; empty for null. */
    static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ");
    }
}
