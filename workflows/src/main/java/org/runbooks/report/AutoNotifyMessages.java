package org.runbooks.report;

import org.runbooks.api.CompensationRecord;
import org.runbooks.api.ReportFiles;
import org.runbooks.api.RunbookResult;
import org.runbooks.api.ValidationReport;
import org.runbooks.model.GateStep;
import org.runbooks.ui.Durations;

import java.util.List;

/**
 * The words of each automatic notification. The runbook's name comes first, so a channel that several runbooks post
 * to can tell them apart, and a waiting gate carries the exact command that approves it.
 */
final class AutoNotifyMessages {

    private AutoNotifyMessages() {
    }

    static String gateWaiting(String runbook, GateStep gate, String workflowId) {
        return runbook + ": gate " + gate.id() + " is waiting for " + gate.quorum() + " of "
                + String.join(", ", gate.approvers()) + ". Approve with: temporal workflow signal --workflow-id "
                + workflowId + " --name approve --input '{\"gate\":\"" + gate.id()
                + "\",\"by\":\"<you>\",\"comment\":\"<why>\"}'";
    }

    static String gateClosed(String runbook, String gate, String decision, String why) {
        return runbook + ": gate " + gate + " " + decision + (why == null ? "" : " (" + why + ")");
    }

    static String validationFailed(String runbook, ValidationReport report) {
        return runbook + ": validation " + report.stepId() + " failed: " + report.detail();
    }

    static String rollbackStarted(String runbook, String domain, String why) {
        return runbook + ": rolling back " + scope(domain) + ": " + why;
    }

    static String rollbackEnded(String runbook, String domain, long millis, List<CompensationRecord> log) {
        List<String> failed = log.stream().filter(r -> !r.succeeded()).map(CompensationRecord::stepId).toList();
        return runbook + ": rolled back " + scope(domain) + " in " + Durations.seconds(millis) + ": " + log.size()
                + " compensation(s), " + (failed.isEmpty() ? "all succeeded" : "failed: " + String.join(", ", failed));
    }

    static String ended(String runbook, RunbookResult result, long millis, ReportFiles files) {
        return runbook + " ended " + result.outcome() + " after " + Durations.seconds(millis)
                + (result.reason() == null ? "" : ": " + result.reason())
                + (files == null ? "" : ". Report: " + files.markdown());
    }

    private static String scope(String domain) {
        return domain == null ? "everything" : "domain " + domain;
    }
}
