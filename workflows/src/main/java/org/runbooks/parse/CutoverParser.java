package org.runbooks.parse;

import org.runbooks.model.CutoverStep;
import org.runbooks.model.FlagStep;
import org.runbooks.model.Step;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code cutover: {stream, flags: [{connection, name, percent|enabled}], maxLag, catchUp, freeze: [tables],
 * sequences: {margin}, reverse}}, tied to the stream step it switches.
 */
final class CutoverParser implements StepParser<CutoverStep> {

    private static final FlagParser FLAG = new FlagParser();

    @Override
    public CutoverStep parse(String id, Node body) {
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
            FlagStep flag = FLAG.parse(id + "/flag-" + (i + 1), flagNodes.get(i));
            flagNodes.get(i).rejectUnknownKeys();
            flags.add(flag);
        }
        return new CutoverStep(id, stream, maxLag == null ? CutoverStep.DEFAULT_MAX_LAG : maxLag,
                catchUp == null ? CutoverStep.DEFAULT_CATCH_UP : catchUp, freeze, margin, reverse,
                settle == null ? CutoverStep.DEFAULT_SETTLE : settle, flags, null);
    }

    @Override
    public Step tie(CutoverStep cutover, Ties ties) {
        return ties.toStream(cutover, cutover.stream(), "cutover", cutover::resolve);
    }
}
