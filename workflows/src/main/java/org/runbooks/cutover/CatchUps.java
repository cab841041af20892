package org.runbooks.cutover;

import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import org.runbooks.stream.AppliedWait;
import org.runbooks.stream.AwaitApplied;
import org.runbooks.stream.SourcePosition;
import org.runbooks.stream.StreamActivities;
import org.runbooks.stream.StreamSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The catch-up of every stream a switch (or a switch back) moves, writes frozen: each stream's source position is
 * taken, then all of them wait at once, each up to its own position, so together they take at most the one bound.
 */
public final class CatchUps {

    /** One stream's catch-up: the position taken at the freeze and how far the stream got. */
    public record CaughtUp(String stream, StreamSpec spec, SourcePosition at, AppliedWait applied) {

        /** {@code stream orders-stream did not apply up to 0/2 (applied up to 0/1, 3.1 s behind)}. */
        public String describe() {
            return String.format(Locale.ROOT, "stream %s did not apply up to %s (applied up to %s, %.1f s behind)",
                    stream, at.position(), applied.lag().appliedPosition(), applied.lag().lagSeconds());
        }
    }

    private CatchUps() {
    }

    /**
     * Takes each stream's position (the freeze holds), then waits for all of them within {@code boundMillis};
     * {@code names} are the streams' step ids, in the order of {@code specs}.
     */
    public static List<CaughtUp> await(List<String> names, List<StreamSpec> specs, long boundMillis,
                                       StreamActivities streams) {
        List<SourcePosition> positions = new ArrayList<>();
        for (StreamSpec spec : specs) {
            positions.add(streams.sourcePosition(spec));
        }
        List<Promise<AppliedWait>> waits = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            waits.add(Async.function(streams::awaitApplied, new AwaitApplied(specs.get(i),
                    positions.get(i).position(), boundMillis)));
        }
        List<CaughtUp> caughtUp = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            caughtUp.add(new CaughtUp(names.get(i), specs.get(i), positions.get(i), waits.get(i).get()));
        }
        return caughtUp;
    }

    /** The catch-ups that did not reach their position; empty when every stream did. */
    public static List<CaughtUp> behind(List<CaughtUp> caughtUp) {
        return caughtUp.stream().filter(c -> !c.applied().reached()).toList();
    }
}
