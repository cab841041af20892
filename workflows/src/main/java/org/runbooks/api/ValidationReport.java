package org.runbooks.api;

import java.util.List;

/**
 * The evidence a validation produced. {@code passed} is true only when every check in {@code checks} passed;
 * {@code detail} lists the failed checks (or, when all passed, every check) in words an approver can act on.
 * The row counts and checksums repeat the table comparison's checks for readers that predate {@code checks}; they
 * are 0 and null when the step compares no tables.
 *
 * @param checks      every check the step ran, in runbook order (table comparison first); histories recorded
 *                    before checks existed carry none, and read back as an empty list
 * @param differences the keys whose rows differ, found by the checksum's bisection; {@link KeyDifferences#NONE}
 *                    when the tables agree, when no checksum ran, and in reports recorded before keys were listed
 * @param repair      what the step's {@code repair} re-copied before this, its deciding verdict; null when nothing
 *                    was repaired
 * @param comparedColumns the columns the checksum compared, {@code name} or {@code source->target} where the backfill
 *                    renamed it; empty when no checksum ran, and in reports recorded before columns were listed
 */
public record ValidationReport(String stepId, long sourceRows, long targetRows, String sourceChecksum,
                               String targetChecksum, boolean passed, String detail, List<CheckResult> checks,
                               KeyDifferences differences, ValidationRepair repair, List<String> comparedColumns) {

    public ValidationReport {
        checks = checks == null ? List.of() : List.copyOf(checks);
        differences = differences == null ? KeyDifferences.NONE : differences;
        comparedColumns = comparedColumns == null ? List.of() : List.copyOf(comparedColumns);
    }

    /** A report that lists no compared columns. */
    public ValidationReport(String stepId, long sourceRows, long targetRows, String sourceChecksum,
                            String targetChecksum, boolean passed, String detail, List<CheckResult> checks,
                            KeyDifferences differences, ValidationRepair repair) {
        this(stepId, sourceRows, targetRows, sourceChecksum, targetChecksum, passed, detail, checks, differences,
                repair, List.of());
    }

    /** A report of a validation that repaired nothing. */
    public ValidationReport(String stepId, long sourceRows, long targetRows, String sourceChecksum,
                            String targetChecksum, boolean passed, String detail, List<CheckResult> checks,
                            KeyDifferences differences) {
        this(stepId, sourceRows, targetRows, sourceChecksum, targetChecksum, passed, detail, checks, differences,
                null);
    }

    /** This report with the repair that came before it. */
    public ValidationReport withRepair(ValidationRepair done) {
        return new ValidationReport(stepId, sourceRows, targetRows, sourceChecksum, targetChecksum, passed, detail,
                checks, differences, done, comparedColumns);
    }

    /** A report without key differences, as recorded before the checksum listed keys. */
    public ValidationReport(String stepId, long sourceRows, long targetRows, String sourceChecksum,
                            String targetChecksum, boolean passed, String detail, List<CheckResult> checks) {
        this(stepId, sourceRows, targetRows, sourceChecksum, targetChecksum, passed, detail, checks,
                KeyDifferences.NONE);
    }

    /** A report without per-check results, as recorded before {@code checks} existed. */
    public ValidationReport(String stepId, long sourceRows, long targetRows, String sourceChecksum,
                            String targetChecksum, boolean passed, String detail) {
        this(stepId, sourceRows, targetRows, sourceChecksum, targetChecksum, passed, detail, List.of());
    }

    /** The same report with another detail line. */
    public ValidationReport withDetail(String newDetail) {
        return new ValidationReport(stepId, sourceRows, targetRows, sourceChecksum, targetChecksum, passed, newDetail,
                checks, differences, repair, comparedColumns);
    }
}
