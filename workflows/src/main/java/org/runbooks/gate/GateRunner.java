package org.runbooks.gate;

import io.temporal.workflow.Workflow;
import org.runbooks.api.PhaseEvent;
import org.runbooks.api.PhaseOutcome;
import org.runbooks.api.PhaseResult;
import org.runbooks.model.GateStep;
import org.runbooks.step.StepContext;
import org.runbooks.step.StepRunner;
import org.slf4j.Logger;

import java.time.Duration;

/**
 * Runs a gate: tells the runbook it is open and waits for the verdict the runbook sends (the runbook keeps the gate
 * book: approvers, quorum, audit), posting reminders while it waits; at its timeout its policy decides.
 */
public final class GateRunner implements StepRunner<GateStep> {

    /**
     * Change id from which a timed-out gate tells its verdict as a boolean ({@code proceed}) rather than as a
     * {@code "proceed: "} prefix of the reason; runs recorded before it keep sending the prefix.
     */
    static final String TIMEOUT_VERDICT_CHANGE = "gate-timeout-verdict";

    private static final Logger log = Workflow.getLogger(GateRunner.class);

    @Override
    public PhaseResult run(GateStep gate, StepContext context) {
        context.awaitingVerdict();
        context.tell(PhaseEvent.gateOpened(context.phaseName(), gate));
        log.info("runbook={} phase={} step={} gate waiting for {} of {}", context.request().runbook(),
                context.phaseName(), gate.id(), gate.quorum(), gate.approvers());
        if (!awaitVerdict(gate, gate.timeout(), context)) {
            switch (gate.onTimeout()) {
                case ROLLBACK -> {
                    return new PhaseResult(PhaseOutcome.REJECTED, gate.id(),
                            "gate " + gate.id() + " timed out after " + gate.timeout() + " with no decision");
                }
                case PROCEED_IF_VALIDATED -> {
                    return proceedIfValidated(gate, context);
                }
                case KEEP_WAITING -> {
                    log.warn("runbook={} phase={} step={} gate overdue, still waiting", context.request().runbook(),
                            context.phaseName(), gate.id());
                    awaitVerdict(gate, null, context);
                }
            }
        }
        context.tell(PhaseEvent.completed(context.phaseName(), gate.id(), 0, null));
        return context.verdict().approved() ? null
                : new PhaseResult(PhaseOutcome.REJECTED, gate.id(), context.verdict().reason());
    }

    /** A timed-out gate goes on only when the latest validation, in this phase or before it, passed. */
    private static PhaseResult proceedIfValidated(GateStep gate, StepContext context) {
        Boolean latest = context.lastValidation() != null ? context.lastValidation()
                : context.request().lastValidationPassed();
        boolean proceed = Boolean.TRUE.equals(latest);
        String reason = "gate " + gate.id() + " timed out after " + gate.timeout() + (proceed
                ? "; proceeding because the latest validation passed"
                : latest == null ? " and no validation ran before it" : " and the latest validation failed");
        context.tell(Workflow.getVersion(TIMEOUT_VERDICT_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1
                ? PhaseEvent.gateTimedOut(context.phaseName(), gate, proceed, reason)
                : PhaseEvent.gateTimedOutAsBefore(context.phaseName(), gate, proceed, reason));
        log.warn("runbook={} phase={} step={} {}", context.request().runbook(), context.phaseName(), gate.id(),
                reason);
        if (!proceed) {
            return new PhaseResult(PhaseOutcome.REJECTED, gate.id(), reason);
        }
        context.tell(PhaseEvent.completed(context.phaseName(), gate.id(), 0, null));
        return null;
    }

    /**
     * Waits for the verdict, at most {@code limit} (null: for ever); true when it came. A gate with reminders posts
     * one at each interval while it waits.
     */
    private static boolean awaitVerdict(GateStep gate, Duration limit, StepContext context) {
        if (gate.remind() == null) {
            if (limit == null) {
                Workflow.await(() -> context.verdict() != null);
                return true;
            }
            return Workflow.await(limit, () -> context.verdict() != null);
        }
        long start = Workflow.currentTimeMillis();
        for (int reminder = 1; ; reminder++) {
            Duration nap = gate.remind().every();
            if (limit != null) {
                Duration left = limit.minusMillis(Workflow.currentTimeMillis() - start);
                if (left.isNegative() || left.isZero()) {
                    return false;
                }
                nap = left.compareTo(nap) < 0 ? left : nap;
            }
            if (Workflow.await(nap, () -> context.verdict() != null)) {
                return true;
            }
            if (limit == null || Workflow.currentTimeMillis() - start < limit.toMillis()) {
                context.notify(context.request().runKey() + "/" + gate.id() + "/remind-" + reminder,
                        gate.remind().webhook(), gate.id(), reminderText(gate, context));
            }
        }
    }

    private static String reminderText(GateStep gate, StepContext context) {
        String runbookId = Workflow.getInfo().getParentWorkflowId().orElse(Workflow.getInfo().getWorkflowId());
        return "gate " + gate.id() + " of " + context.request().runbook() + " is waiting for " + gate.quorum()
                + " of " + gate.approvers() + "; approve with: temporal workflow signal --workflow-id " + runbookId
                + " --name approve --input '{\"gate\":\"" + gate.id() + "\",\"by\":\"<you>\"}'";
    }
}
