package org.runbooks.flag;

import org.runbooks.model.FlagStep;
import org.runbooks.step.KeyRanges;
import org.runbooks.step.PlanLines;

import java.util.List;

/** A flag in the words of {@code plan}: the value it sets, and that a rollback restores the previous one. */
public final class FlagPlanLines implements PlanLines<FlagStep> {

    @Override
    public List<String> does(FlagStep f, KeyRanges keyRanges) {
        return List.of("set flag " + f.name() + " on " + f.connection() + " to " + f.percent() + "%");
    }

    @Override
    public String compensation(FlagStep f) {
        return "restore flag " + f.name() + " on " + f.connection()
                + " to its previous value (remove it if it did not exist)";
    }
}
