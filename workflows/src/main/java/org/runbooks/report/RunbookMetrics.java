package org.runbooks.report;

import com.uber.m3.tally.Scope;
import org.runbooks.api.CheckResult;
import org.runbooks.api.RunbookState;
import org.runbooks.api.ValidationReport;

import java.time.Duration;
import java.util.Map;

/**
 * The runbook's own metrics from the workflow side, written to the workflow's metrics scope. That scope is silent
 * while a history replays, so each event counts once, and the worker's stats reporter hands it to Micrometer, which
 * the worker's {@code /prometheus} endpoint serves (dots become underscores there; timers are in seconds).
 *
 * <p>The names are public because dashboards depend on them ({@code docs/grafana/runbooks-dashboard.json}).
 *
 * <p>The state gauge shows what this worker saw happen live: a runbook that moves to another worker, or waits
 * through a worker restart without changing state, shows on the worker that last moved it.
 */
public final class RunbookMetrics {

    /** Timer, with a histogram: from a gate opening to its decision. Tags: runbook, gate, decision. */
    public static final String GATE_WAIT = "runbook.gate.wait";
    /** Timer: how long a rollback (of everything, or of one domain) took. Tags: runbook, domain ({@code all}). */
    public static final String ROLLBACK = "runbook.rollback";
    /** Gauge: 1 for the state a runbook is in, 0 for the one it left. Tags: runbook, state. */
    public static final String STATE = "runbook.state";
    /** Counter: failed validation checks, re-validations during a soak included. Tags: runbook, step, check. */
    public static final String VALIDATION_MISMATCHES = "runbook.validation.mismatches";

    private final Scope scope;

    /** {@code scope} is {@code Workflow.getMetricsScope()} in a workflow; tests pass any tally scope. */
    public RunbookMetrics(Scope scope, String runbook) {
        this.scope = scope.tagged(Map.of("runbook", runbook));
    }

    public void gateWaited(String gate, String decision, Duration waited) {
        scope.tagged(Map.of("gate", gate, "decision", decision)).timer(GATE_WAIT).record(tally(waited));
    }

    public void rolledBack(String domain, Duration took) {
        scope.tagged(Map.of("domain", domain == null ? "all" : domain)).timer(ROLLBACK).record(tally(took));
    }

    public void stateChanged(RunbookState left, RunbookState entered) {
        if (left != null && left != entered) {
            scope.tagged(Map.of("state", left.name())).gauge(STATE).update(0);
        }
        scope.tagged(Map.of("state", entered.name())).gauge(STATE).update(1);
    }

    /** Counts each failed check of a failed validation; a report without checks counts once. */
    public void validated(ValidationReport report) {
        if (report.passed()) {
            return;
        }
        if (report.checks().isEmpty()) {
            mismatch(report.stepId(), "validation");
        }
        report.checks().stream().filter(c -> !c.passed()).map(CheckResult::name)
                .forEach(check -> mismatch(report.stepId(), check));
    }

    private void mismatch(String step, String check) {
        scope.tagged(Map.of("step", step, "check", check)).counter(VALIDATION_MISMATCHES).inc(1);
    }

    private static com.uber.m3.util.Duration tally(Duration duration) {
        return com.uber.m3.util.Duration.ofNanos(duration.toNanos());
    }
}
