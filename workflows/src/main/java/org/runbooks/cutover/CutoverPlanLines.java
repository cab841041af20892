package org.runbooks.cutover;

import org.runbooks.model.CutoverStep;
import org.runbooks.step.KeyRanges;
import org.runbooks.step.PlanLines;
import org.runbooks.ui.Durations;

import java.util.List;
import java.util.stream.Collectors;

/** A cutover in the words of {@code plan}: the switch in its order, and the switch back that undoes it. */
public final class CutoverPlanLines implements PlanLines<CutoverStep> {

    @Override
    public List<String> does(CutoverStep c, KeyRanges keyRanges) {
        return List.of("switch from " + c.resolved().from() + " to " + c.resolved().to()
                        + ": pre-check stream " + c.stream() + " under " + Durations.compact(c.maxLag())
                        + " behind, freeze writes to " + String.join(", ", c.freeze()) + " on "
                        + c.resolved().from().connection() + ", let the stream catch up within "
                        + Durations.compact(c.catchUp()) + " (else lift the freeze and fail, nothing switched)",
                "then set " + c.resolved().to() + "'s sequences past the source's (margin " + c.sequenceMargin()
                        + "), " + (c.reverse() ? "start the reverse stream " + c.resolved().to() + " -> "
                        + c.resolved().from() + ", " : "") + "flip " + c.flags().stream()
                        .map(f -> f.name() + " on " + f.connection() + " to " + f.percent() + "%")
                        .collect(Collectors.joining(", ")) + ", lift the freeze");
    }

    @Override
    public String compensation(CutoverStep c) {
        return c.reverse()
                ? "before the switch: lift the freeze; after it: switch back (freeze " + c.resolved().to()
                + ", let the reverse stream catch up, restore the flags, lift the freeze), and no backfill "
                + "deletes a target row after it"
                : "restore the flags; without a reverse stream the writes made on the target stay there";
    }
}
