package org.runbooks.api;

import java.util.List;

/**
 * How a runbook ended: {@link RunbookState#COMPLETED}, {@link RunbookState#ROLLED_BACK}, or
 * {@link RunbookState#PARTIALLY_ROLLED_BACK} (with the domains undone), with the reason, the validation evidence,
 * every gate decision and the compensation log.
 *
 * @param report where the migration report was written (Markdown and JSON); null when it could not be written, or
 *               for runs recorded before reports existed
 */
public record RunbookResult(String runbook, String file, String sha256, RunbookState outcome, String reason,
                            long rowsCopied, List<ValidationReport> evidence, List<GateAuditEntry> audit,
                            List<CompensationRecord> compensations, List<String> rolledBackDomains,
                            ReportFiles report) {

    /** A result without a report yet. */
    public RunbookResult(String runbook, String file, String sha256, RunbookState outcome, String reason,
                         long rowsCopied, List<ValidationReport> evidence, List<GateAuditEntry> audit,
                         List<CompensationRecord> compensations, List<String> rolledBackDomains) {
        this(runbook, file, sha256, outcome, reason, rowsCopied, evidence, audit, compensations, rolledBackDomains,
                null);
    }

    public RunbookResult withReport(ReportFiles files) {
        return new RunbookResult(runbook, file, sha256, outcome, reason, rowsCopied, evidence, audit, compensations,
                rolledBackDomains, files);
    }
}
