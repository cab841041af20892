package org.runbooks.runbook;

import org.runbooks.api.GateAuditEntry;
import org.runbooks.api.GateDecision;
import org.runbooks.api.Knobs;
import org.runbooks.api.PauseRequest;
import org.runbooks.api.RollbackRequest;
import org.runbooks.api.RunbookWorkflow;
import org.runbooks.api.StepResolution;
import org.runbooks.api.Tune;

/**
 * The signal and update handlers operators call on a runbook: gate decisions and controls (rollback, resolve a
 * failed step, pause, resume, tune). Each hands over to {@link Operators}, which books it; the runbook workflow
 * extends this class, so its own file keeps the loop over phases.
 */
public abstract class OperatorHandlers implements RunbookWorkflow {

    /** The runbook's operator controls and gate decisions. */
    abstract Operators operators();

    @Override
    public void approve(GateDecision decision) {
        operators().decide(decision, true);
    }

    @Override
    public void reject(GateDecision decision) {
        operators().decide(decision, false);
    }

    @Override
    public GateAuditEntry approveGate(GateDecision decision) {
        return Operators.acceptedOrFail(operators().decide(decision, true));
    }

    /**
     * Refuses nothing: a validator may not write history, so anything it refused would be missing from the audit
     * trail, and its failure would not carry the type {@code GateDecisionRefused}. The handler records every refusal,
     * including a decision that names no gate or no one, then fails the update with that type.
     */
    @Override
    public void validateApproveGate(GateDecision decision) {
    }

    @Override
    public GateAuditEntry rejectGate(GateDecision decision) {
        return Operators.acceptedOrFail(operators().decide(decision, false));
    }

    @Override
    public void validateRejectGate(GateDecision decision) {
        validateApproveGate(decision);
    }

    @Override
    public void rollback(RollbackRequest request) {
        operators().rollback(request);
    }

    @Override
    public void resolveFailure(StepResolution resolution) {
        operators().resolveFailure(resolution);
    }

    @Override
    public void pause(PauseRequest request) {
        operators().pause(request);
    }

    @Override
    public void resume(PauseRequest request) {
        operators().resume(request);
    }

    @Override
    public Knobs tune(Tune tune) {
        return operators().tune(tune);
    }

    @Override
    public void validateTune(Tune tune) {
        operators().validateTune(tune);
    }
}
