package org.runbooks.workflow;

import org.runbooks.activity.ValidationReport;
import org.runbooks.saga.CompensationRecord;

import java.util.List;

/**
 * How a runbook ended: {@link RunbookState#COMPLETED}, {@link RunbookState#ROLLED_BACK}, or
 * {@link RunbookState#PARTIALLY_ROLLED_BACK} (with the domains undone), with the reason, the validation evidence,
 * every gate decision and the compensation log.
 */
public record RunbookResult(String runbook, String file, String sha256, RunbookState outcome, String reason,
                            long rowsCopied, List<ValidationReport> evidence, List<GateAuditEntry> audit,
                            List<CompensationRecord> compensations, List<String> rolledBackDomains) {
}
