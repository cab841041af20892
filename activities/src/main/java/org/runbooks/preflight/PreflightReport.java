package org.runbooks.preflight;

import java.util.List;

/**
 * What pre-flight found, in runbook order, and the row estimates of every backfill source. A runbook with an
 * {@link FindingLevel#ERROR} finding must not start.
 */
public record PreflightReport(List<Finding> findings, List<RowEstimate> estimates) {

    public PreflightReport {
        findings = List.copyOf(findings);
        estimates = List.copyOf(estimates);
    }

    public List<Finding> at(FindingLevel level) {
        return findings.stream().filter(f -> f.level() == level).toList();
    }

    public List<Finding> errors() {
        return at(FindingLevel.ERROR);
    }

    public boolean hasErrors() {
        return !errors().isEmpty();
    }
}
