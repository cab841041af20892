package org.runbooks.parse;

import org.runbooks.model.BackfillStep;
import org.runbooks.model.CatchUpStep;
import org.runbooks.model.CutoverStep;
import org.runbooks.model.FlagStep;
import org.runbooks.model.Step;
import org.runbooks.model.StreamStep;
import org.runbooks.model.TableRef;
import org.runbooks.model.ValidateStep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code stream:} steps, and ties each stream to the backfills into its target: they must come after it (the
 * stream's start position is fixed before their first chunk, or changes made in between would be lost), and the
 * stream holds its changes until they have completed.
 */
final class StreamSteps {

    private StreamSteps() {
    }

    /** {@code stream: {from: {connection, table}, to: {connection, table}, key: [..]}}. */
    static StreamStep stream(String id, Node body) {
        TableRef from = DataSteps.table(body.object("from", true));
        TableRef to = DataSteps.table(body.object("to", true));
        List<String> key = DataSteps.keyColumns(body);
        if (from != null && to != null && from.connection() != null && from.connection().equals(to.connection())
                && from.table() != null && from.table().equals(to.table())) {
            body.error(body.child("to"), "is the table the stream reads from");
        }
        return new StreamStep(id, from, to, key, List.of());
    }

    /** {@code catchUp: {stream: <stream step id>, maxLag: PT5S, within: PT10M}}. */
    static CatchUpStep catchUp(String id, Node body) {
        String stream = body.requiredText("stream");
        Duration maxLag = body.optionalDuration("maxLag");
        if (maxLag == null && !body.has("maxLag")) {
            body.error(body.child("maxLag"), "is required");
        }
        Duration within = body.optionalDuration("within");
        return new CatchUpStep(id, stream, maxLag, within == null ? CatchUpStep.DEFAULT_WITHIN : within, null);
    }

    /**
     * {@code cutover: {stream, flags: [{connection, name, percent|enabled}], maxLag, catchUp, freeze: [tables],
     * sequences: {margin}, reverse}}.
     */
    static CutoverStep cutover(String id, Node body) {
        String stream = body.requiredText("stream");
        Duration maxLag = body.optionalDuration("maxLag");
        Duration catchUp = body.optionalDuration("catchUp");
        List<String> freeze = body.has("freeze") ? body.textList("freeze", false) : List.of();
        for (int i = 0; i < freeze.size(); i++) {
            if (!Identifiers.isPlainTable(freeze.get(i))) {
                body.error(body.child("freeze") + "[" + i + "]", "'" + freeze.get(i) + "' is not a table name");
            }
        }
        long margin = 0;
        Node sequences = body.object("sequences", false);
        if (sequences != null) {
            margin = sequences.optionalLong("margin", 0);
            if (margin < 0) {
                sequences.error(sequences.child("margin"), "must be 0 or more, not " + margin);
            }
            sequences.rejectUnknownKeys();
        }
        boolean reverse = body.optionalBoolean("reverse", true);
        Duration settle = body.optionalDuration("settle");
        List<FlagStep> flags = new ArrayList<>();
        List<Node> flagNodes = body.objects("flags", true);
        if (flagNodes.isEmpty() && body.has("flags")) {
            body.error(body.child("flags"), "must name at least one flag: the flags are what switch the application");
        }
        for (int i = 0; i < flagNodes.size(); i++) {
            FlagStep flag = ControlSteps.flag(id + "/flag-" + (i + 1), flagNodes.get(i));
            flagNodes.get(i).rejectUnknownKeys();
            flags.add(flag);
        }
        return new CutoverStep(id, stream, maxLag == null ? CutoverStep.DEFAULT_MAX_LAG : maxLag,
                catchUp == null ? CutoverStep.DEFAULT_CATCH_UP : catchUp, freeze, margin, reverse,
                settle == null ? CutoverStep.DEFAULT_SETTLE : settle, flags, null);
    }

    /**
     * The steps, in runbook order, with each stream's {@code awaitsCopies} filled in; a backfill into a streamed
     * table that comes before its stream, and two streams into one table, are errors.
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
            } else if (step instanceof CutoverStep cutover && cutover.stream() != null) {
                StreamStep stream = named(checks, started, tied, cutover.stream(), stepPaths.get(id) + ".cutover");
                if (stream != null) {
                    tied.put(id, cutover.resolve(stream));
                }
            } else if (step instanceof ValidateStep validate && validate.comparesTables()) {
                started.values().stream().filter(s -> validate.source().equals(s.from())
                        && validate.target().equals(s.to())).findFirst()
                        .ifPresent(s -> tied.put(id, validate.withLiveStream(s)));
            } else if (step instanceof CatchUpStep catchUp && catchUp.stream() != null) {
                StreamStep stream = named(checks, started, tied, catchUp.stream(), stepPaths.get(id) + ".catchUp");
                if (stream != null) {
                    tied.put(id, catchUp.resolve(stream));
                }
            }
        });
        return tied;
    }

    /** The stream step {@code name} among those {@code started} before; null (and an error at {@code path}) if none. */
    private static StreamStep named(Checks checks, Map<String, StreamStep> started, Map<String, Step> steps,
                                    String name, String path) {
        StreamStep stream = started.get(name);
        if (stream == null) {
            checks.error(path + ".stream", steps.get(name) == null ? "no step '" + name + "' in this runbook"
                    : "'" + name + "' is not a stream step that comes before this one");
        }
        return stream;
    }
}
