package org.runbooks.runbook;

import org.runbooks.api.ReportFiles;
import org.runbooks.report.MigrationReport;
import org.runbooks.report.ReportActivities;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The report activity: keeps the reports, apart from the calls, whose order the tests pin. */
final class FakeReports implements ReportActivities {

    private final List<String> calls;
    final List<MigrationReport> reports = new CopyOnWriteArrayList<>();

    FakeReports(List<String> calls) {
        this.calls = calls;
    }

    @Override
    public ReportFiles writeReport(MigrationReport report) {
        reports.add(report);
        return new ReportFiles("reports/" + report.workflowId() + ".md", "reports/" + report.workflowId() + ".json");
    }
}
