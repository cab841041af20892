package org.runbooks.plan;

import org.runbooks.model.Phase;
import org.runbooks.model.Runbook;
import org.runbooks.model.Step;
import org.runbooks.parse.RunbookPositions;
import org.runbooks.parse.StepKinds;
import org.runbooks.preflight.Finding;
import org.runbooks.preflight.FindingLevel;
import org.runbooks.preflight.PreflightReport;
import org.runbooks.preflight.RowEstimate;
import org.runbooks.step.KeyRanges;

import java.util.List;

/**
 * A dry run as text: the phases in order, what each step does and what undoes it, the gates, what the runbook's
 * shape puts at risk, and what pre-flight found in the databases. The same runbook and report give the same text.
 */
public final class RunbookPlan {

    private static final String STEP_INDENT = "      ";

    private RunbookPlan() {
    }

    public static String render(String file, Runbook runbook, PreflightReport preflight) {
        return render(file, runbook, preflight, null);
    }

    /** The same, each pre-flight finding placed at its field's {@code file:line:col}, as parse errors are. */
    public static String render(String file, Runbook runbook, PreflightReport preflight, RunbookPositions positions) {
        return render(file, runbook, preflight, positions, List.of());
    }

    /**
     * The same, with {@code moreWarnings} after the runbook's own, such as {@link CheckLogins}' checks that run with
     * a write login.
     */
    public static String render(String file, Runbook runbook, PreflightReport preflight, RunbookPositions positions,
                                List<String> moreWarnings) {
        StringBuilder out = new StringBuilder();
        out.append("Plan for runbook ").append(runbook.name()).append(" (").append(file).append(")\n");
        if (runbook.owner() != null) {
            out.append("owner: ").append(runbook.owner()).append('\n');
        }
        if (runbook.description() != null && !runbook.description().isBlank()) {
            out.append(runbook.description().strip()).append('\n');
        }
        for (int p = 0; p < runbook.phases().size(); p++) {
            phase(out, p + 1, runbook.phases().get(p), preflight);
        }
        out.append("\nOn a rejection, a failed step, a rollback request or a cancel, the compensations of every ")
                .append("completed step run, last first (in a domain, that domain's steps only).\n");
        List<String> warnings = new java.util.ArrayList<>(PlanWarnings.of(runbook));
        warnings.addAll(moreWarnings);
        section(out, "Warnings", warnings);
        section(out, "Pre-flight", preflight.findings().stream()
                .map(f -> positions == null ? f.toString() : f.at(positions.where(f.path()))).toList());
        out.append("Result: ").append(preflight.at(FindingLevel.ERROR).size()).append(" error(s), ")
                .append(preflight.at(FindingLevel.WARNING).size()).append(" warning(s), ")
                .append(preflight.at(FindingLevel.INFO).size()).append(" info\n");
        return out.toString();
    }

    private static void phase(StringBuilder out, int number, Phase phase, PreflightReport preflight) {
        List<RowEstimate> estimates = preflight.estimates();
        out.append("\nPhase ").append(number).append(": ").append(phase.name());
        if (phase.domain() != null) {
            out.append(" (domain ").append(phase.domain()).append(": a failure or rejection here rolls back the ")
                    .append("phases of domain ").append(phase.domain()).append(" only)");
        }
        out.append('\n');
        for (int s = 0; s < phase.steps().size(); s++) {
            Step step = phase.steps().get(s);
            out.append("  ").append(number).append('.').append(s + 1).append(' ').append(step.id())
                    .append(" (").append(step.kind().text()).append(")\n");
            List<String> does = StepKinds.does(step, preflight.keyRanges(step.id())
                    .map(k -> new KeyRanges(k.ranges(), k.why())).orElse(null));
            out.append(STEP_INDENT).append("does: ").append(does.get(0)).append('\n');
            does.subList(1, does.size()).forEach(line -> out.append(STEP_INDENT).append(line).append('\n'));
            estimates.stream().filter(e -> e.stepId().equals(step.id())).forEach(e -> out.append(STEP_INDENT)
                    .append("source rows: ").append(e.text()).append('\n'));
            out.append(STEP_INDENT).append("compensation: ").append(StepKinds.compensation(step)).append('\n');
        }
    }

    private static void section(StringBuilder out, String title, List<String> lines) {
        out.append('\n').append(title).append(":\n");
        if (lines.isEmpty()) {
            out.append("  (none)\n");
        }
        lines.forEach(line -> out.append("  ").append(line).append('\n'));
    }
}
