package org.runbooks.cutover;

import org.runbooks.model.CutoverStep;
import org.runbooks.model.StreamStep;
import org.runbooks.step.KeyRanges;
import org.runbooks.step.PlanLines;
import org.runbooks.ui.Durations;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A cutover in the words of {@code plan}: the switch in its order, and the switch back that undoes it. */
public final class CutoverPlanLines implements PlanLines<CutoverStep> {

    @Override
    public List<String> does(CutoverStep c, KeyRanges keyRanges) {
        boolean several = c.resolvedStreams().size() > 1;
        return List.of("switch from " + each(c, s -> s.from() + " to " + s.to())
                        + ": pre-check stream" + (several ? "s " : " ") + String.join(", ", c.streams()) + " under "
                        + Durations.compact(c.maxLag()) + " behind, " + freeze(c) + ", let "
                        + (several ? "every stream" : "the stream")
                        + " catch up within " + Durations.compact(c.catchUp())
                        + " (else lift the freeze and fail, nothing switched)",
                "then set " + each(c, s -> s.to().toString()) + "'s sequences past the source's (margin "
                        + c.sequenceMargin() + "), " + (c.reverse() ? "start the reverse stream"
                        + (several ? "s " : " ") + each(c, s -> s.to() + " -> " + s.from()) + ", " : "") + "flip "
                        + c.flags().stream().map(f -> f.name() + " on " + f.connection() + " to " + f.percent() + "%")
                        .collect(Collectors.joining(", ")) + ", lift the freeze");
    }

    @Override
    public String compensation(CutoverStep c) {
        boolean several = c.resolvedStreams().size() > 1;
        return c.reverse()
                ? "before the switch: lift the freeze; after it: switch back (freeze " + each(c, s -> s.to().toString())
                + ", let the reverse stream" + (several ? "s" : "") + " catch up, restore the flags, lift the freeze),"
                + " and no backfill deletes a target row after it"
                : "restore the flags; without a reverse stream the writes made on the target stay there";
    }

    /** How the sources are frozen: {@code set flag f on legacy to 100%, run the freeze SQL on legacy, freeze …}. */
    private static String freeze(CutoverStep c) {
        List<String> parts = new ArrayList<>();
        if (c.freezeFlag() != null) {
            parts.add("set flag " + c.freezeFlag().name() + " on " + c.freezeFlag().connection() + " to "
                    + c.freezeFlag().percent() + "%");
        }
        if (c.freezeSql() != null) {
            parts.add("run the freeze SQL on " + c.freezeSql().connection() + " (its revert at the thaw)");
        }
        if (!c.freezeByConnection().isEmpty()) {
            parts.add("freeze writes to " + c.freezeByConnection().entrySet().stream()
                    .map(e -> String.join(", ", e.getValue()) + " on " + e.getKey())
                    .collect(Collectors.joining(", ")));
        }
        return String.join(", ", parts);
    }

    private static String each(CutoverStep c, Function<StreamStep, String> part) {
        return c.resolvedStreams().stream().map(part).collect(Collectors.joining(", "));
    }
}
