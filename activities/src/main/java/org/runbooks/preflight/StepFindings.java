package org.runbooks.preflight;

import java.util.List;

/** Collects the findings of one step, each placed at a field below the step's path. */
final class StepFindings {

    private final String stepPath;
    private final String stepId;
    private final List<Finding> findings;
    private final List<RowEstimate> estimates;
    private final List<KeyRangePlan> keyRanges;

    StepFindings(String stepPath, String stepId, List<Finding> findings, List<RowEstimate> estimates,
                 List<KeyRangePlan> keyRanges) {
        this.stepPath = stepPath;
        this.stepId = stepId;
        this.findings = findings;
        this.estimates = estimates;
        this.keyRanges = keyRanges;
    }

    /** {@code field} below the step, e.g. {@code backfill.to} gives {@code phases[0].steps[1].backfill.to}. */
    String path(String field) {
        return stepPath + "." + field;
    }

    void error(String field, String message) {
        add(field, FindingLevel.ERROR, message);
    }

    /** An ERROR about a connection that could not be reached now; the load activity retries on it. */
    void unreachable(String field, String message) {
        findings.add(new Finding(path(field), stepId, FindingLevel.ERROR, message, true));
    }

    void warning(String field, String message) {
        add(field, FindingLevel.WARNING, message);
    }

    void info(String field, String message) {
        add(field, FindingLevel.INFO, message);
    }

    void estimate(String field, String source, RowCount count) {
        estimates.add(new RowEstimate(path(field), stepId, source, count.rows(), count.exact()));
    }

    void keyRanges(int ranges, String why) {
        keyRanges.add(new KeyRangePlan(stepId, ranges, why));
    }

    private void add(String field, FindingLevel level, String message) {
        findings.add(new Finding(path(field), stepId, level, message));
    }
}
