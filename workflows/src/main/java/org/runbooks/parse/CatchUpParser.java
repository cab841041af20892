package org.runbooks.parse;

import org.runbooks.model.CatchUpStep;
import org.runbooks.model.Step;

import java.time.Duration;

/** {@code catchUp: {stream: <stream step id>, maxLag: PT5S, within: PT10M}}, tied to the stream step it names. */
final class CatchUpParser implements StepParser<CatchUpStep> {

    @Override
    public CatchUpStep parse(String id, Node body) {
        String stream = body.requiredText("stream");
        Duration maxLag = body.optionalDuration("maxLag");
        if (maxLag == null && !body.has("maxLag")) {
            body.error(body.child("maxLag"), "is required");
        }
        Duration within = body.optionalDuration("within");
        return new CatchUpStep(id, stream, maxLag, within == null ? CatchUpStep.DEFAULT_WITHIN : within, null);
    }

    @Override
    public Step tie(CatchUpStep catchUp, Ties ties) {
        return ties.toStream(catchUp, catchUp.stream(), "catchUp", catchUp::resolve);
    }
}
