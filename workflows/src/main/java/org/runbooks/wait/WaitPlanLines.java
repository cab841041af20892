package org.runbooks.wait;

import org.runbooks.model.WaitStep;
import org.runbooks.step.KeyRanges;
import org.runbooks.step.PlanLines;
import org.runbooks.ui.Durations;

import java.util.List;

/** A wait in the words of {@code plan}: how long, and which validation it re-runs meanwhile. */
public final class WaitPlanLines implements PlanLines<WaitStep> {

    @Override
    public List<String> does(WaitStep w, KeyRanges keyRanges) {
        return List.of(w.revalidate() == null
                ? "wait " + Durations.compact(w.duration())
                : "wait " + Durations.compact(w.duration()) + ", re-running validate " + w.revalidate() + " every "
                        + Durations.compact(w.every()) + " and at the end; a failed check fails the phase");
    }

    @Override
    public String compensation(WaitStep w) {
        return "none (a wait changes nothing)";
    }
}
