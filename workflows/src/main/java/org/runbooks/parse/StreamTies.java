package org.runbooks.parse;

import org.runbooks.model.BackfillStep;
import org.runbooks.model.Step;
import org.runbooks.model.StreamStep;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ties each stream to the backfills into its target: they must come after it (the stream's start position is fixed
 * before their first chunk, or changes made in between would be lost), and the stream holds its changes until they
 * have completed. Then ties every other step to the streams started before it, as its kind's
 * {@link StepParser#tie} says.
 */
final class StreamTies {

    private StreamTies() {
    }

    /**
     * The steps, in runbook order, with each stream's {@code awaitsCopies} filled in and each step tied; a backfill
     * into a streamed table that comes before its stream, and two streams into one table, are errors.
     */
    static Map<String, Step> tie(Checks checks, Map<String, Step> steps, Map<String, String> stepPaths) {
        Map<String, StreamStep> streamsByTarget = new HashMap<>();
        Map<String, List<String>> copies = new LinkedHashMap<>();
        Map<String, String> copiedBefore = new HashMap<>();
        steps.forEach((id, step) -> {
            if (step instanceof StreamStep stream && stream.to() != null) {
                String target = stream.to().toString();
                StreamStep other = streamsByTarget.putIfAbsent(target, stream);
                if (other != null) {
                    checks.error(stepPaths.get(id) + ".stream.to", "stream '" + other.id() + "' already keeps "
                            + target + " in step");
                }
                if (copiedBefore.containsKey(target)) {
                    checks.error(stepPaths.get(copiedBefore.get(target)) + ".backfill.to", "copies into " + target
                            + " before stream '" + id + "' starts: changes made between the copy and the stream's "
                            + "start would be lost; put the stream step first");
                }
                copies.put(id, new ArrayList<>());
            } else if (step instanceof BackfillStep backfill && backfill.to() != null) {
                String target = backfill.to().toString();
                StreamStep stream = streamsByTarget.get(target);
                if (stream == null) {
                    copiedBefore.putIfAbsent(target, id);
                } else {
                    copies.get(stream.id()).add(id);
                }
            }
        });
        Map<String, Step> tied = new LinkedHashMap<>();
        steps.forEach((id, step) -> tied.put(id, step instanceof StreamStep stream
                ? stream.awaiting(copies.get(id)) : step));
        Map<String, StreamStep> started = new HashMap<>();
        tied.forEach((id, step) -> {
            if (step instanceof StreamStep stream) {
                started.put(id, stream);
            } else {
                tied.put(id, StepKinds.tie(step, new Ties(checks, started, tied, stepPaths.get(id))));
            }
        });
        return tied;
    }
}
