package org.runbooks.ui;

import org.runbooks.model.Phase;
import org.runbooks.model.Runbook;
import org.runbooks.model.Step;

import java.util.List;

/**
 * How a phase's child workflow introduces itself in the Temporal UI: a one-line static summary and static details
 * (the runbook, its owner and description, and the phase's steps), set once when the child starts, and the Current
 * Details line naming the step in progress. Without them the UI lists children as bare ids.
 */
public final class PhaseDescription {

    /**
     * The version change that gives phase children their static summary and details: it changes the attributes of
     * the StartChildWorkflow command, so runs recorded before it replay without them.
     */
    public static final String CHANGE_ID = "static-summary";

    private PhaseDescription() {
    }

    /** One line, as the UI shows it in lists: {@code orders-to-v2 · phase 1 of 4: backfill (1 step)}. */
    public static String summary(Runbook runbook, Phase phase) {
        int steps = phase.steps().size();
        return runbook.name() + " · phase " + position(runbook, phase) + " of " + runbook.phases().size() + ": "
                + phase.name() + " (" + steps + (steps == 1 ? " step)" : " steps)");
    }

    /** Markdown: the runbook, its owner and description, the phase's domain, and each step with its kind. */
    public static String details(Runbook runbook, Phase phase) {
        StringBuilder md = new StringBuilder();
        md.append("**Runbook** ").append(runbook.name());
        if (runbook.owner() != null) {
            md.append(" · **owner** ").append(runbook.owner());
        }
        md.append("\n\n");
        if (runbook.description() != null) {
            md.append(runbook.description().strip()).append("\n\n");
        }
        md.append("**Phase** ").append(phase.name()).append(" (").append(position(runbook, phase)).append(" of ")
                .append(runbook.phases().size()).append(')');
        if (phase.domain() != null) {
            md.append(" · **domain** ").append(phase.domain());
        }
        md.append("\n\n");
        List<Step> steps = phase.steps();
        for (int i = 0; i < steps.size(); i++) {
            md.append(i + 1).append(". `").append(steps.get(i).id()).append("` ").append(kind(steps.get(i))).append('\n');
        }
        return md.toString();
    }

    /** The phase child's Current Details while {@code step} runs. */
    public static String stepInProgress(String runbook, Phase phase, Step step) {
        int index = phase.steps().indexOf(step);
        return "**" + runbook + "** · phase **" + phase.name() + "** · step " + (index + 1) + " of "
                + phase.steps().size() + ": **" + step.id() + "** (" + kind(step) + ")";
    }

    /** The step's kind, as the runbook file spells it. */
    static String kind(Step step) {
        return step.kind().text();
    }

    private static int position(Runbook runbook, Phase phase) {
        return runbook.phases().indexOf(phase) + 1;
    }
}
