package org.runbooks.activity;

import java.util.List;

/**
 * The evidence a validation produced. {@code passed} is true only when every check in {@code checks} passed;
 * {@code detail} lists the failed checks (or, when all passed, every check) in words an approver can act on.
 * The row counts and checksums repeat the table comparison's checks for readers that predate {@code checks}; they
 * are 0 and null when the step compares no tables.
 *
 * @param checks every check the step ran, in runbook order (table comparison first); histories recorded before
 *               checks existed carry none, and read back as an empty list
 */
public record ValidationReport(String stepId, long sourceRows, long targetRows, String sourceChecksum,
                               String targetChecksum, boolean passed, String detail, List<CheckResult> checks) {

    public ValidationReport {
        checks = checks == null ? List.of() : List.copyOf(checks);
    }

    /** A report without per-check results, as recorded before {@code checks} existed. */
    public ValidationReport(String stepId, long sourceRows, long targetRows, String sourceChecksum,
                            String targetChecksum, boolean passed, String detail) {
        this(stepId, sourceRows, targetRows, sourceChecksum, targetChecksum, passed, detail, List.of());
    }
}
