package org.runbooks.runbook;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.failure.CanceledFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.GateDecision;
import org.runbooks.api.PhaseTiming;
import org.runbooks.api.ReportFiles;
import org.runbooks.api.RunbookResult;
import org.runbooks.api.RunbookState;
import org.runbooks.api.RunbookWorkflow;
import org.runbooks.api.StepTiming;
import org.runbooks.notify.Notification;
import org.runbooks.report.MigrationReport;
import org.runbooks.report.RunbookMetrics;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a runbook tells the world outside its history: the migration report it asks to have written when it ends,
 * the automatic notifications to the webhook its {@code notify:} names, and its workflow-side metrics.
 */
class RunbookReportingWorkflowTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Scope metrics = new RootScopeBuilder().reporter(new MicrometerClientStatsReporter(registry))
            .reportEvery(com.uber.m3.util.Duration.ofMillis(50));
    private TimeSkippingRunbooks runbooks;
    private FakeActivities activities;

    private RunbookWorkflow start(String runbookText) {
        runbooks = new TimeSkippingRunbooks(runbookText, metrics);
        activities = runbooks.activities();
        return runbooks.workflow();
    }

    @AfterEach
    void close() {
        if (runbooks != null) {
            runbooks.close();
        }
    }

    private static String ordersWithNotify() throws IOException {
        return RunbookWorkflowTest.ordersRunbook().replace("phases:", "notify: { webhook: ops-channel }\nphases:");
    }

    @Test
    void approvedRunbookReportsEachPhaseAndStepAndPostsTheGateAndTheOutcome() throws Exception {
        RunbookWorkflow workflow = start(ordersWithNotify());
        runbooks.awaitState(RunbookState.AWAITING_APPROVAL);
        runbooks.sleep(Duration.ofMinutes(5));

        workflow.approve(new GateDecision("go-no-go", "dba-oncall", "parity clean"));
        RunbookResult result = runbooks.result();

        assertThat(result.report()).isEqualTo(new ReportFiles("reports/rb-test.md", "reports/rb-test.json"));
        MigrationReport report = activities.report.reports.get(0);
        assertThat(activities.report.reports).hasSize(1);
        assertThat(report.outcome()).isEqualTo("COMPLETED");
        assertThat(report.startedBy()).isEqualTo("alice");
        assertThat(report.phases()).extracting(PhaseTiming::phase)
                .containsExactly("backfill", "validate", "gate", "cutover");
        assertThat(report.phases()).allSatisfy(p -> assertThat(p.outcome()).isEqualTo("COMPLETED"));
        assertThat(report.phases()).flatExtracting(PhaseTiming::steps).extracting(StepTiming::step, StepTiming::kind,
                StepTiming::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("copy-orders", "backfill", "completed"),
                org.assertj.core.groups.Tuple.tuple("parity", "validate", "completed"),
                org.assertj.core.groups.Tuple.tuple("go-no-go", "gate", "completed"),
                org.assertj.core.groups.Tuple.tuple("read-v2", "flag", "completed"));
        StepTiming gate = report.phases().get(2).steps().get(0);
        assertThat(gate.millis()).as("the gate waited the five minutes before the approval")
                .isGreaterThanOrEqualTo(Duration.ofMinutes(5).toMillis());
        assertThat(report.gates()).singleElement().satisfies(g -> assertThat(g.by()).isEqualTo("dba-oncall"));
        assertThat(report.evidence()).singleElement().satisfies(e -> assertThat(e.passed()).isTrue());

        assertThat(activities.notify.notifications).extracting(Notification::message).satisfiesExactlyInAnyOrder(
                waiting -> assertThat(waiting).startsWith("orders-to-v2: gate go-no-go is waiting for 1 of"
                        + " orders-owner, dba-oncall. Approve with: temporal workflow signal --workflow-id rb-test"),
                decided -> assertThat(decided).isEqualTo(
                        "orders-to-v2: gate go-no-go approved (gate go-no-go approved by dba-oncall)"),
                ended -> assertThat(ended).startsWith("orders-to-v2 ended COMPLETED after ")
                        .endsWith(". Report: reports/rb-test.md"));
        assertThat(activities.notify.notifications).allSatisfy(n -> assertThat(n.webhook()).isEqualTo("ops-channel"))
                .extracting(Notification::idempotencyKey).doesNotHaveDuplicates();

        metrics.close();
        assertThat(registry.get(RunbookMetrics.STATE).tag("runbook", "orders-to-v2").tag("state", "COMPLETED")
                .gauge().value()).isEqualTo(1);
        assertThat(registry.get(RunbookMetrics.STATE).tag("state", "AWAITING_APPROVAL").gauge().value()).isZero();
        assertThat(registry.get(RunbookMetrics.GATE_WAIT).tag("gate", "go-no-go").tag("decision", "approved")
                .timer().totalTime(TimeUnit.MINUTES)).isGreaterThanOrEqualTo(5);
    }

    @Test
    void failedValidationPostsTheFailureAndTheRollbackAndReportsTheCompensations() throws Exception {
        RunbookWorkflow workflow = start(ordersWithNotify());
        activities.validation.validationPasses = false;

        RunbookResult result = runbooks.result();

        assertThat(result.outcome()).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(workflow.status().state()).isEqualTo(RunbookState.ROLLED_BACK);
        String why = "validation parity failed: row counts differ (source 1000, target 999)";
        assertThat(activities.notify.notifications).extracting(Notification::message).satisfiesExactlyInAnyOrder(
                failed -> assertThat(failed).isEqualTo("orders-to-v2: " + why),
                rollingBack -> assertThat(rollingBack).isEqualTo("orders-to-v2: rolling back everything: " + why),
                rolledBack -> assertThat(rolledBack).matches("orders-to-v2: rolled back everything in \\d+\\.\\d s:"
                        + " 1 compensation\\(s\\), all succeeded"),
                ended -> assertThat(ended).matches("orders-to-v2 ended ROLLED_BACK after \\d+\\.\\d s: "
                        + java.util.regex.Pattern.quote(why) + "\\. Report: reports/rb-test\\.md"));
        MigrationReport report = activities.report.reports.get(0);
        assertThat(report.outcome()).isEqualTo("ROLLED_BACK");
        assertThat(report.rollbacks()).singleElement().satisfies(r -> {
            assertThat(r.domain()).isNull();
            assertThat(r.compensations()).isEqualTo(1);
            assertThat(r.failed()).isZero();
        });
        assertThat(report.compensations()).extracting(c -> c.stepId()).containsExactly("copy-orders");
        assertThat(report.phases()).extracting(PhaseTiming::phase, PhaseTiming::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("backfill", "COMPLETED"),
                org.assertj.core.groups.Tuple.tuple("validate", "FAILED"));

        metrics.close();
        assertThat(registry.get(RunbookMetrics.VALIDATION_MISMATCHES).tag("step", "parity").counter().count())
                .isEqualTo(1);
        assertThat(registry.get(RunbookMetrics.ROLLBACK).tag("domain", "all").timer().count()).isEqualTo(1);
    }

    @Test
    void aWebhookThatStaysDownStopsNothingAndARunbookWithoutNotifyPostsNothing() throws IOException {
        start(ordersWithNotify());
        activities.notify.webhookDown = true;
        runbooks.awaitState(RunbookState.AWAITING_APPROVAL);
        runbooks.workflow().approve(new GateDecision("go-no-go", "dba-oncall", "go"));

        assertThat(runbooks.result().outcome()).isEqualTo(RunbookState.COMPLETED);
        assertThat(activities.calls).contains("notify:go-no-go");
        assertThat(activities.notify.notifications).isEmpty();
        assertThat(activities.report.reports).hasSize(1);
        runbooks.close();

        start(RunbookWorkflowTest.ordersRunbook());
        runbooks.awaitState(RunbookState.AWAITING_APPROVAL);
        runbooks.workflow().approve(new GateDecision("go-no-go", "dba-oncall", "go"));

        assertThat(runbooks.result().report()).isNotNull();
        assertThat(activities.calls).noneMatch(call -> call.startsWith("notify:"));
    }

    /**
     * Temporal closes a cancelled run as Canceled with no result and no message (the Java SDK drops anything the
     * workflow returns or throws then), so the report's files are read with the {@code report} query.
     */
    @Test
    void aCancelledRunbookReportsTheGateAsCancelledAndTheReportQueryNamesItsFiles() throws Exception {
        RunbookWorkflow workflow = start(ordersWithNotify());
        runbooks.awaitState(RunbookState.AWAITING_APPROVAL);

        WorkflowStub.fromTyped(workflow).cancel();

        assertThatThrownBy(runbooks::result).isInstanceOf(WorkflowFailedException.class)
                .rootCause().isInstanceOf(CanceledFailure.class);
        MigrationReport report = activities.report.reports.get(0);
        assertThat(report.outcome()).isEqualTo("ROLLED_BACK");
        assertThat(report.reason()).isEqualTo("the runbook workflow was cancelled");
        PhaseTiming gate = report.phases().get(2);
        assertThat(gate.phase()).isEqualTo("gate");
        assertThat(gate.outcome()).isEqualTo("CANCELLED");
        assertThat(gate.endedAt()).isNotNull();
        assertThat(gate.steps()).extracting(StepTiming::step, StepTiming::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("go-no-go", "cancelled"));
        assertThat(activities.notify.notifications).extracting(Notification::message)
                .contains("orders-to-v2: gate go-no-go cancelled (the runbook workflow was cancelled)");
        assertThat(WorkflowStub.fromTyped(workflow).query("report", ReportFiles.class))
                .isEqualTo(new ReportFiles("reports/rb-test.md", "reports/rb-test.json"));
    }
}
