package org.runbooks.validate;

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

    @Override
    public PhaseResult run(ValidateStep v, StepContext context) {
        context.tell(PhaseEvent.started(context.phaseName(), v.id(), null));
        ValidationReport report = v.liveStream() == null ? validation.compare(v)
                : new LiveComparison(validation).compare(v, context.request().runKey());
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
}
