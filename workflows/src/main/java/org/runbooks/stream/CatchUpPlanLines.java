package org.runbooks.stream;

import org.runbooks.model.CatchUpStep;
import org.runbooks.step.KeyRanges;
import org.runbooks.step.PlanLines;
import org.runbooks.ui.Durations;

import java.util.List;

/** A catch-up in the words of {@code plan}: the lag it waits for, and for how long. */
public final class CatchUpPlanLines implements PlanLines<CatchUpStep> {

    @Override
    public List<String> does(CatchUpStep c, KeyRanges keyRanges) {
        return List.of("wait until stream " + c.stream() + " is less than "
                + Durations.compact(c.maxLag()) + " behind its source, for at most " + Durations.compact(c.within())
                + "; the step fails with the measured lag otherwise");
    }

    @Override
    public String compensation(CatchUpStep c) {
        return "none (reads the stream's lag only)";
    }
}
