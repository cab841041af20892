package org.runbooks.wait;

import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import org.runbooks.api.PhaseCarry;
import org.runbooks.api.PhaseEvent;
import org.runbooks.api.PhaseOutcome;
import org.runbooks.api.PhaseResult;
import org.runbooks.api.ValidationReport;
import org.runbooks.model.WaitStep;
import org.runbooks.step.PhaseEventPacer;
import org.runbooks.step.StepChanges;
import org.runbooks.step.StepContext;
import org.runbooks.step.StepRunner;
import org.runbooks.ui.Summaries;

import java.time.Duration;

/**
 * Runs a wait (a soak): sleeps, and with a re-validation runs the named validate step every {@code every} (and once
 * at the end), reports each result to the runbook, and stops the phase at the first one that fails. A long soak
 * continues the phase as new between naps, carrying the time left and the rounds done.
 */
public final class WaitRunner implements StepRunner<WaitStep> {

    @Override
    public PhaseResult run(WaitStep w, StepContext context) {
        PhaseCarry resumed = context.resumed();
        if (resumed == null) {
            context.tell(PhaseEvent.started(context.phaseName(), w.id(), null));
        }
        PhaseResult failed = soak(w, resumed, context);
        if (failed != null) {
            return failed;
        }
        context.tell(PhaseEvent.completed(context.phaseName(), w.id(), 0, null));
        return null;
    }

    private static PhaseResult soak(WaitStep wait, PhaseCarry resumed, StepContext context) {
        if (wait.check() == null) {
            nap(wait, wait.duration(), context);
            return null;
        }
        Duration left = resumed == null ? wait.duration() : Duration.ofMillis(resumed.soakLeftMillis());
        int round = resumed == null ? 0 : resumed.soakRound();
        while (!left.isZero()) {
            if (context.continueDue()) {
                context.continueAsNew(null, left.toMillis(), round);
            }
            Duration nap = left.compareTo(wait.every()) < 0 ? left : wait.every();
            nap(wait, nap, context);
            left = left.minus(nap);
            round++;
            ValidationReport report = context.compare(wait.check());
            context.validated(report.passed());
            context.tellPaced(PhaseEvent.evidence(context.phaseName(), wait.id(), report),
                    PhaseEventPacer.evidenceInterval(wait.duration(), wait.every()));
            if (!report.passed()) {
                return new PhaseResult(PhaseOutcome.FAILED, wait.id(), "re-validation " + round + " of "
                        + wait.revalidate() + " during " + wait.id() + " failed: " + report.detail());
            }
        }
        return null;
    }

    /** A soak's sleep; from {@link StepChanges#SLICES} on, a timer the UI shows with the soak's summary. */
    private static void nap(WaitStep wait, Duration nap, StepContext context) {
        if (context.slices()) {
            Workflow.newTimer(nap, TimerOptions.newBuilder().setSummary(Summaries.soak(wait)).build()).get();
        } else {
            Workflow.sleep(nap);
        }
    }
}
