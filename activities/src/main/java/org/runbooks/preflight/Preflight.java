package org.runbooks.preflight;

import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.model.Phase;
import org.runbooks.model.Runbook;
import org.runbooks.model.Step;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks a parsed runbook against the databases this worker is configured with, before anything runs: every
 * connection it names answers, the tables, key columns and mapped columns exist, queries parse, and what a backfill
 * will find (row estimates, whether the target already holds rows). It only reads: each question runs in a
 * read-only transaction that is rolled back, so it changes nothing, and it can be run as often as one likes.
 */
public final class Preflight {

    private final ConnectionRegistry registry;

    public Preflight(ConnectionRegistry registry) {
        this.registry = registry;
    }

    public PreflightReport check(Runbook runbook) {
        List<Finding> findings = new ArrayList<>();
        List<RowEstimate> estimates = new ArrayList<>();
        List<KeyRangePlan> keyRanges = new ArrayList<>();
        try (OpenConnections connections = new OpenConnections(registry)) {
            for (int p = 0; p < runbook.phases().size(); p++) {
                Phase phase = runbook.phases().get(p);
                for (int s = 0; s < phase.steps().size(); s++) {
                    Step step = phase.steps().get(s);
                    StepFindings at = new StepFindings("phases[" + p + "].steps[" + s + "]", step.id(), findings,
                            estimates, keyRanges);
                    StepChecks.check(step, connections, at);
                }
            }
        }
        return new PreflightReport(findings, estimates, keyRanges);
    }
}
