package org.runbooks.plan;

import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.KpiCheck;
import org.runbooks.model.Phase;
import org.runbooks.model.Runbook;
import org.runbooks.model.SqlAssertion;
import org.runbooks.model.Step;
import org.runbooks.model.ValidateStep;
import org.runbooks.parse.RunbookPositions;

import java.util.ArrayList;
import java.util.List;

/**
 * The part of {@code plan} that says which of the runbook's own read-only SQL (KPI and assertion queries, throttle
 * queries, a backfill's {@code from.query}) would run with a connection's write login, because the worker's
 * configuration names no read-only login for it: one warning per check, placed in the file. Such SQL still runs in
 * read-only transactions, but only a role that cannot write makes sure it cannot, whatever it calls.
 */
public final class CheckLogins {

    private CheckLogins() {
    }

    /** One line per check that runs with a write login, {@code file:line:col: path (step): ...}; empty when none. */
    public static List<String> warnings(Runbook runbook, ConnectionRegistry connections, RunbookPositions positions) {
        List<String> warnings = new ArrayList<>();
        for (int p = 0; p < runbook.phases().size(); p++) {
            Phase phase = runbook.phases().get(p);
            for (int s = 0; s < phase.steps().size(); s++) {
                Step step = phase.steps().get(s);
                String at = "phases[" + p + "].steps[" + s + "].";
                for (Check check : checks(step)) {
                    if (connections.names().contains(check.connection())
                            && !connections.hasReadOnlyLogin(check.connection())) {
                        String path = at + check.field();
                        warnings.add((positions == null ? "" : positions.where(path) + ": ") + path + " ("
                                + step.id() + "): runs with the write login of connection '" + check.connection()
                                + "' (in a read-only transaction); name a read-only role in runbooks.connections."
                                + check.connection() + ".read-only");
                    }
                }
            }
        }
        return warnings;
    }

    private static List<Check> checks(Step step) {
        List<Check> checks = new ArrayList<>();
        if (step instanceof ValidateStep validate) {
            for (int i = 0; i < validate.kpis().size(); i++) {
                KpiCheck kpi = validate.kpis().get(i);
                checks.add(new Check("validate.kpis[" + i + "].source", kpi.source().connection()));
                checks.add(new Check("validate.kpis[" + i + "].target", kpi.target().connection()));
            }
            for (int i = 0; i < validate.assertions().size(); i++) {
                SqlAssertion assertion = validate.assertions().get(i);
                checks.add(new Check("validate.assertions[" + i + "]", assertion.connection()));
            }
        } else if (step instanceof BackfillStep backfill) {
            if (backfill.query() != null) {
                checks.add(new Check("backfill.from.query", backfill.from().connection()));
            }
            if (backfill.throttle() != null && backfill.throttle().query() != null) {
                checks.add(new Check("backfill.throttle.query", backfill.throttle().connection()));
            }
        }
        return checks;
    }

    /** One piece of the runbook's SQL that only reads, and where it runs. */
    private record Check(String field, String connection) {
    }
}
