package org.runbooks.preflight;

import java.util.List;
import java.util.Optional;

/**
 * What pre-flight found, in runbook order, the row estimates of every backfill source, and how many key ranges
 * each backfill that asks for parallelism will copy at once. A runbook with an
 * {@link FindingLevel#ERROR} finding must not start.
 */
public record PreflightReport(List<Finding> findings, List<RowEstimate> estimates, List<KeyRangePlan> keyRanges) {

    public PreflightReport {
        findings = List.copyOf(findings);
        estimates = List.copyOf(estimates);
        keyRanges = keyRanges == null ? List.of() : List.copyOf(keyRanges);
    }

    /** A report that says nothing about key ranges. */
    public PreflightReport(List<Finding> findings, List<RowEstimate> estimates) {
        this(findings, estimates, List.of());
    }

    /** How many key ranges backfill {@code stepId} copies at once, when pre-flight could tell. */
    public Optional<KeyRangePlan> keyRanges(String stepId) {
        return keyRanges.stream().filter(k -> k.stepId().equals(stepId)).findFirst();
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
