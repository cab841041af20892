package org.runbooks.validate;

import io.temporal.failure.ActivityFailure;
import org.runbooks.stream.AppliedWait;
import org.runbooks.stream.AwaitApplied;
import org.runbooks.stream.SourcePosition;
import org.runbooks.stream.StreamActivities;
import org.runbooks.stream.StreamRunner;
import org.runbooks.stream.StreamSpec;
import java.time.Duration;
import io.temporal.workflow.Workflow;
import org.runbooks.api.PhaseEvent;
import org.runbooks.api.PhaseOutcome;
import org.runbooks.api.PhaseResult;
import org.runbooks.api.ValidationReport;
import org.runbooks.model.ValidateStep;
import org.runbooks.step.StepContext;
import org.runbooks.step.StepOptions;
import org.runbooks.step.StepRunner;

/** Runs a validate step: compares, repairs the keys found different when the step asks for it, and judges. */
public final class ValidateRunner implements StepRunner<ValidateStep> {

    /** Change id of a validate step that repairs the keys it finds different and validates again. */
    static final String REPAIR_CHANGE = "validate-repair";

    private final ValidationActivities validation =
            Workflow.newActivityStub(ValidationActivities.class, StepOptions.validation());

    /** How long a live validation waits for its stream to apply what was committed before it compared. */
    static final Duration LIVE_CATCH_UP = Duration.ofMinutes(2);

    @Override
    public PhaseResult run(ValidateStep v, StepContext context) {
        context.tell(PhaseEvent.started(context.phaseName(), v.id(), null));
        ValidationReport report = v.liveStream() == null ? validation.compare(v) : compareLive(v, context);
        if (!report.passed() && v.repair() != null
                && Workflow.getVersion(REPAIR_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
            report = new RepairRounds(context.request(), context.key(v), v, validation).run(report);
        }
        context.validated(report.passed());
        context.tell(PhaseEvent.completed(context.phaseName(), v.id(), 0, report));
        if (!report.passed()) {
            return new PhaseResult(PhaseOutcome.FAILED, v.id(), "validation " + v.id() + " failed: "
                    + report.detail() + (report.repair() == null ? "" : "; " + report.repair().detail()));
        }
        return null;
    }

    /**
     * Compares a target that a stream keeps in step with a live source. The source's position is marked first; when
     * the comparison finds differences, the stream gets {@link #LIVE_CATCH_UP} to apply everything up to that mark,
     * then the tables are compared again, and the second comparison decides: a difference the stream was about to
     * close is not reported, one that persists is. Where no mark can be taken (MariaDB sources), the first decides.
     */
    private ValidationReport compareLive(ValidateStep v, StepContext context) {
        StreamSpec spec = StreamRunner.spec(v.liveStream(), context.request().runKey());
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
        ValidationReport second = validation.compare(v);
        String caught = "stream " + v.liveStream().id() + " applied everything committed before the comparison began";
        return second.withDetail(second.passed()
                ? "what the first comparison found (" + first.detail() + ") was closed once " + caught + "; "
                + second.detail()
                : "after " + caught + ", still: " + second.detail());
    }
}
