package org.runbooks.validate;

import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import org.runbooks.api.ValidationReport;
import org.runbooks.model.ValidateStep;
import org.runbooks.step.StepOptions;
import org.runbooks.stream.AppliedWait;
import org.runbooks.stream.AwaitApplied;
import org.runbooks.stream.SourcePosition;
import org.runbooks.stream.StreamActivities;
import org.runbooks.stream.StreamRunner;
import org.runbooks.stream.StreamSpec;

import java.time.Duration;

/** A validate step's comparison of a target that a stream keeps in step with a source that is still written. */
public final class LiveComparison {

    /** Change id of a live validation that marks before each comparison and passes writes in flight. */
    static final String IN_FLIGHT_CHANGE = "validate-live-in-flight";

    /** Change id of a soak's re-validation of a live validate step, which compares as the step does. */
    public static final String REVALIDATE_CHANGE = "revalidate-live";

    /** Most comparisons a live validation makes: 4, the first one included. */
    static final int MOST_LIVE_COMPARISONS = 4;

    /** How long a live validation waits for its stream to apply what was committed before it compared. */
    static final Duration LIVE_CATCH_UP = Duration.ofMinutes(2);

    private final ValidationActivities validation;

    public LiveComparison(ValidationActivities validation) {
        this.validation = validation;
    }

    /**
     * Compares a target that a stream keeps in step with a live source. The source's position is marked first; when
     * the comparison finds differences, the stream gets {@link #LIVE_CATCH_UP} to apply everything up to that mark,
     * then the tables are compared again, and the second comparison decides: a difference the stream was about to
     * close is not reported, one that persists is. Where no mark can be taken (MariaDB sources), the first decides.
     */
    public ValidationReport compare(ValidateStep v, String runKey) {
        StreamSpec spec = StreamRunner.spec(v.liveStream(), runKey);
        StreamActivities streams = Workflow.newActivityStub(StreamActivities.class, StepOptions.heartbeatingStep());
        SourcePosition before;
        try {
            before = streams.sourcePosition(spec);
        } catch (ActivityFailure e) {
            return validation.compare(v);
        }
        ValidationReport first = validation.compare(v);
        if (first.passed()) {
            return first;
        }
        AppliedWait caughtUp = streams.awaitApplied(new AwaitApplied(spec, before.position(),
                LIVE_CATCH_UP.toMillis()));
        if (!caughtUp.reached()) {
            return first.withDetail(first.detail() + "; stream " + v.liveStream().id() + " did not apply up to "
                    + before.position() + " within " + LIVE_CATCH_UP + ", so the differences were not re-checked");
        }
        String caught = "stream " + v.liveStream().id() + " applied everything committed before the comparison began";
        if (Workflow.getVersion(IN_FLIGHT_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
            return compareWhileWriting(v, streams, spec, first, caught);
        }
        ValidationReport second = validation.compare(v);
        return second.withDetail(second.passed()
                ? "what the first comparison found (" + first.detail() + ") was closed once " + caught + "; "
                + second.detail()
                : "after " + caught + ", still: " + second.detail());
    }

    /**
     * After the stream applied everything up to the first comparison's mark: marks again and compares, up to
     * {@link #MOST_LIVE_COMPARISONS} times, each after the stream applied up to the previous mark. A comparison that
     * passes decides; so do differences on other keys each time ({@link InFlightKeys}: writes in flight), and a key
     * that differs in every comparison fails.
     */
    private ValidationReport compareWhileWriting(ValidateStep v, StreamActivities streams, StreamSpec spec,
                                                 ValidationReport first, String caught) {
        InFlightKeys keys = new InFlightKeys(v.key());
        keys.add(first); // a first comparison that lists no keys (or too many) is not judged by them
        int comparisons = 1;
        while (true) {
            SourcePosition mark;
            try {
                mark = streams.sourcePosition(spec);
            } catch (ActivityFailure e) {
                mark = null;
            }
            ValidationReport last = validation.compare(v);
            comparisons++;
            if (last.passed()) {
                return last.withDetail("what the first comparison found (" + first.detail() + ") was closed once "
                        + caught + "; " + last.detail());
            }
            boolean judged = keys.add(last);
            if (judged && keys.allInFlight()) {
                return keys.passed(last, comparisons);
            }
            if (!judged || mark == null || comparisons == MOST_LIVE_COMPARISONS) {
                return last.withDetail("after " + caught + ", still: " + keys.persistentDetail() + last.detail());
            }
            AppliedWait applied = streams.awaitApplied(new AwaitApplied(spec, mark.position(),
                    LIVE_CATCH_UP.toMillis()));
            if (!applied.reached()) {
                return last.withDetail("after " + caught + ", still: " + last.detail() + "; stream "
                        + v.liveStream().id() + " did not apply up to " + mark.position() + " within "
                        + LIVE_CATCH_UP + ", so the differences were not re-checked");
            }
        }
    }
}
