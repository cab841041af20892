package org.runbooks.validate;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import org.runbooks.api.CheckResult;
import org.runbooks.api.ValidationReport;
import org.runbooks.jdbc.Failures;
import org.runbooks.jdbc.KeepAlive;
import org.runbooks.jdbc.ReadOnlyQueries;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.model.KpiCheck;
import org.runbooks.model.SqlAssertion;
import org.runbooks.model.ValidateStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs every check of a validate step, reading only: the table comparison (row counts, and a checksum over the
 * columns paired by name or through the backfill's mapping, that names the keys that differ and the columns it left
 * out), then each KPI on both sides, then each assertion. The table
 * comparison heartbeats its progress, and a retried attempt continues from the last heartbeat; while any query runs
 * (a segment, a KPI, an assertion) a {@link KeepAlive} re-sends that checkpoint, so a slow query is not taken for a
 * dead worker and a dead worker is noticed within the heartbeat timeout. A KPI or assertion query that fails or returns
 * something other than one number is a failed check with the reason, so the approver sees it next to the others; a
 * database that cannot be reached fails the activity, which retries.
 */
public class ValidationActivitiesImpl implements ValidationActivities {

    private static final Logger log = LoggerFactory.getLogger(ValidationActivitiesImpl.class);

    private final ConnectionRegistry connections;
    private final TableComparison.Limits limits;

    public ValidationActivitiesImpl(ConnectionRegistry connections) {
        this(connections, TableComparison.Limits.DEFAULT);
    }

    ValidationActivitiesImpl(ConnectionRegistry connections, TableComparison.Limits limits) {
        this.connections = connections;
        this.limits = limits;
    }

    @Override
    public ValidationReport compare(ValidateStep step) {
        ActivityExecutionContext context = Activity.getExecutionContext();
        ValidationCheckpoint resumed = context.getHeartbeatDetails(ValidationCheckpoint.class)
                .filter(checkpoint -> step.id().equals(checkpoint.stepId()))
                .orElseGet(() -> ValidationCheckpoint.start(step.id()));
        try (KeepAlive keepAlive = KeepAlive.start(context, resumed);
             ReadOnlyQueries queries = new ReadOnlyQueries(connections)) {
            List<CheckResult> checks = new ArrayList<>();
            TableComparison tables = null;
            if (step.comparesTables()) {
                tables = TableComparison.run(queries, step, limits, resumed, keepAlive::heartbeat);
                checks.add(CheckVerdicts.rowCount(step, tables));
                if (step.checksum()) {
                    checks.add(CheckVerdicts.checksum(step, tables));
                }
            }
            for (KpiCheck kpi : step.kpis()) {
                checks.add(CheckVerdicts.kpi(kpi, queries.number(kpi.source().connection(), kpi.source().sql()),
                        queries.number(kpi.target().connection(), kpi.target().sql())));
            }
            for (SqlAssertion assertion : step.assertions()) {
                checks.add(CheckVerdicts.assertion(assertion, queries.number(assertion.connection(), assertion.sql())));
            }
            ValidationReport report = report(step, tables, checks);
            log.info("step={} passed={} {}", step.id(), report.passed(), report.detail());
            return report;
        } catch (Exception e) {
            throw Failures.of(e);
        }
    }

    private static ValidationReport report(ValidateStep step, TableComparison tables, List<CheckResult> checks) {
        boolean passed = checks.stream().allMatch(CheckResult::passed);
        String detail = checks.stream()
                .filter(check -> passed || !check.passed())
                .map(CheckResult::detail)
                .collect(Collectors.joining("; "));
        if (checks.isEmpty()) {
            detail = "no checks to run";
        }
        return tables == null
                ? new ValidationReport(step.id(), 0, 0, null, null, passed, detail, checks)
                : new ValidationReport(step.id(), tables.sourceRows(), tables.targetRows(), tables.sourceChecksum(),
                        tables.targetChecksum(), passed, detail, checks, tables.differences(), null,
                        tables.columns() == null ? List.of() : tables.columns().described());
    }
}
