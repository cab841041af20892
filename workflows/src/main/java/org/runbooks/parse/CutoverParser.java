package org.runbooks.parse;

import org.runbooks.model.CutoverStep;
import org.runbooks.model.FlagStep;
import org.runbooks.model.Step;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code cutover: {stream | streams: [..], flags: [{connection, name, percent|enabled}], maxLag, catchUp, freeze: [tables],
 * sequences: {margin}, reverse}}, tied to the stream step it switches.
 */
final class CutoverParser implements StepParser<CutoverStep> {

    private static final FlagParser FLAG = new FlagParser();

    @Override
    public CutoverStep parse(String id, Node body) {
        List<String> streams = streams(body);
        String stream = streams.isEmpty() ? null : streams.get(0);
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
            FlagStep flag = FLAG.parse(id + "/flag-" + (i + 1), flagNodes.get(i));
            flagNodes.get(i).rejectUnknownKeys();
            flags.add(flag);
        }
        return new CutoverStep(id, stream, maxLag == null ? CutoverStep.DEFAULT_MAX_LAG : maxLag,
                catchUp == null ? CutoverStep.DEFAULT_CATCH_UP : catchUp, freeze, margin, reverse,
                settle == null ? CutoverStep.DEFAULT_SETTLE : settle, flags, null, streams, null);
    }

    /** {@code stream: a} or {@code streams: [a, b]}, exactly one of them, each stream named once. */
    private static List<String> streams(Node body) {
        if (body.has("stream") == body.has("streams")) {
            body.skip("stream");
            body.skip("streams");
            body.error(body.child("stream"), body.has("stream")
                    ? "give stream or streams, not both" : "is required: the stream (or streams: [..]) it switches");
            return List.of();
        }
        if (body.has("stream")) {
            return List.of(body.requiredText("stream"));
        }
        List<String> streams = body.textList("streams", true);
        if (streams.isEmpty()) {
            body.error(body.child("streams"), "must name at least one stream");
        }
        for (int i = 0; i < streams.size(); i++) {
            if (streams.indexOf(streams.get(i)) != i) {
                body.error(body.child("streams") + "[" + i + "]", "names " + streams.get(i) + " twice");
            }
        }
        return streams;
    }

    @Override
    public Step tie(CutoverStep cutover, Ties ties) {
        Step tied = ties.toStreams(cutover, cutover.streams(), "cutover", cutover::resolve);
        if (tied instanceof CutoverStep c && c.resolved() != null) {
            Set<String> sources = new LinkedHashSet<>();
            c.resolvedStreams().forEach(s -> sources.add(s.from().connection()));
            for (int i = 0; i < c.freeze().size() && sources.size() > 1; i++) {
                String table = c.freeze().get(i);
                if (c.resolvedStreams().stream().noneMatch(s -> s.from().table().equals(table))) {
                    ties.error("cutover.freeze[" + i + "]", "'" + table + "' is no stream's source table, and the"
                            + " streams read from several connections (" + String.join(", ", sources)
                            + "): freeze only their source tables");
                }
            }
        }
        return tied;
    }
}
