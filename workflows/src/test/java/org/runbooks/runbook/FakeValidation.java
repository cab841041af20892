package org.runbooks.runbook;

import org.runbooks.api.ValidationReport;
import org.runbooks.model.ValidateStep;
import org.runbooks.validate.ValidationActivities;

import java.util.List;

/** The validation activity: passes, fails after a count, or returns scripted reports. */
final class FakeValidation implements ValidationActivities {

    private final List<String> calls;
    volatile boolean validationPasses = true;
    /** When at least 0, validations pass this many more times and then fail. */
    volatile int comparesBeforeFailure = -1;
    /** Reports compare returns first, in order, before it falls back to {@link #validationPasses}. */
    final java.util.Queue<ValidationReport> scriptedReports = new java.util.concurrent.ConcurrentLinkedQueue<>();

    FakeValidation(List<String> calls) {
        this.calls = calls;
    }

    @Override
    public ValidationReport compare(ValidateStep step) {
        calls.add("compare:" + step.id());
        ValidationReport scripted = scriptedReports.poll();
        if (scripted != null) {
            return scripted;
        }
        if (comparesBeforeFailure == 0) {
            validationPasses = false;
        } else if (comparesBeforeFailure > 0) {
            comparesBeforeFailure--;
        }
        return new ValidationReport(step.id(), 1000, validationPasses ? 1000 : 999, "a", validationPasses ? "a" : "b",
                validationPasses, validationPasses ? "row counts agree" : "row counts differ (source 1000, target 999)");
    }
}
