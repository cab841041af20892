package org.runbooks.workflow;

import io.temporal.failure.ApplicationFailure;
import org.runbooks.activity.BackfillActivities;
import org.runbooks.activity.BackfillRequest;
import org.runbooks.activity.BackfillResult;
import org.runbooks.activity.FlagActivities;
import org.runbooks.activity.FlagChange;
import org.runbooks.activity.FlagRestore;
import org.runbooks.activity.FlagValue;
import org.runbooks.activity.LoadedRunbook;
import org.runbooks.activity.Notification;
import org.runbooks.activity.NotifyActivities;
import org.runbooks.activity.RemoveCopiedRows;
import org.runbooks.activity.RunbookLoadActivities;
import org.runbooks.activity.SqlActivities;
import org.runbooks.activity.SqlRun;
import org.runbooks.activity.ValidationActivities;
import org.runbooks.activity.ValidationReport;
import org.runbooks.model.ValidateStep;
import org.runbooks.parse.RunbookParser;
import org.runbooks.report.MigrationReport;
import org.runbooks.report.ReportActivities;
import org.runbooks.report.ReportFiles;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stand-ins for every activity that record each call, in order, as "method:step-or-flag". The point of these tests
 * is the workflow's ordering and decisions, so the activities only remember what they were asked.
 */
final class FakeActivities implements RunbookLoadActivities, BackfillActivities, ValidationActivities,
        FlagActivities, SqlActivities, NotifyActivities, ReportActivities {

    final List<String> calls = new CopyOnWriteArrayList<>();
    private final String runbookText;
    volatile boolean validationPasses = true;
    /** When at least 0, validations pass this many more times and then fail. */
    volatile int comparesBeforeFailure = -1;
    volatile boolean webhookDown;
    final List<Notification> notifications = new CopyOnWriteArrayList<>();
    /** Reports the runbook asked to write; kept apart from {@link #calls}, whose order the tests pin. */
    final List<MigrationReport> reports = new CopyOnWriteArrayList<>();
    volatile String failingFlag;
    /** While true, copyTable keeps heartbeating (as a long copy does) until it is cancelled or this turns false. */
    volatile boolean holdCopies;
    final List<BackfillRequest> copyRequests = new CopyOnWriteArrayList<>();
    final java.util.concurrent.atomic.AtomicInteger copiesCancelled = new java.util.concurrent.atomic.AtomicInteger();

    FakeActivities(String runbookText) {
        this.runbookText = runbookText;
    }

    @Override
    public LoadedRunbook loadRunbook(String file) {
        calls.add("loadRunbook:" + file);
        return new LoadedRunbook(file, "sha", new RunbookParser(Set.of("legacy", "target"), Set.of("ops-channel")).parse(runbookText, file));
    }

    @Override
    public BackfillResult copyTable(BackfillRequest request) {
        calls.add("copyTable:" + request.step().id());
        copyRequests.add(request);
        while (holdCopies) {
            try {
                io.temporal.activity.Activity.getExecutionContext().heartbeat(copyRequests.size());
                Thread.sleep(20);
            } catch (io.temporal.client.ActivityCompletionException e) {
                copiesCancelled.incrementAndGet();
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return new BackfillResult(1000, 10, 0, List.of("1"), List.of("1000"));
    }

    @Override
    public String removeCopiedRows(RemoveCopiedRows request) {
        calls.add("removeCopiedRows:" + request.step().id());
        return "deleted 1000 rows";
    }

    @Override
    public ValidationReport compare(ValidateStep step) {
        calls.add("compare:" + step.id());
        if (comparesBeforeFailure == 0) {
            validationPasses = false;
        } else if (comparesBeforeFailure > 0) {
            comparesBeforeFailure--;
        }
        return new ValidationReport(step.id(), 1000, validationPasses ? 1000 : 999, "a", validationPasses ? "a" : "b",
                validationPasses, validationPasses ? "row counts agree" : "row counts differ (source 1000, target 999)");
    }

    @Override
    public FlagValue setFlag(FlagChange change) {
        calls.add("setFlag:" + change.name() + "=" + change.percent());
        if (change.name().equals(failingFlag)) {
            throw ApplicationFailure.newFailure("flags table is locked", "DatabaseUnavailable");
        }
        return FlagValue.absent();
    }

    @Override
    public String restoreFlag(FlagRestore restore) {
        calls.add("restoreFlag:" + restore.name());
        return "removed flag " + restore.name();
    }

    @Override
    public String notify(Notification notification) {
        calls.add("notify:" + notification.step());
        if (webhookDown) {
            throw ApplicationFailure.newFailure("connection refused", "WebhookUnavailable");
        }
        notifications.add(notification);
        return "HTTP 204";
    }

    @Override
    public void runSql(SqlRun run) {
        calls.add("runSql:" + run.idempotencyKey().substring(run.idempotencyKey().indexOf('/', run.idempotencyKey()
                .indexOf('/') + 1) + 1));
    }

    @Override
    public ReportFiles writeReport(MigrationReport report) {
        reports.add(report);
        return new ReportFiles("reports/" + report.workflowId() + ".md", "reports/" + report.workflowId() + ".json");
    }
}
