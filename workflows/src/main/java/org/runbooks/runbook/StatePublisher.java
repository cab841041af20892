package org.runbooks.runbook;

import io.temporal.workflow.Workflow;
import org.runbooks.api.GateView;
import org.runbooks.api.RunbookState;
import org.runbooks.api.RunbookStatus;
import org.runbooks.model.Runbook;
import org.runbooks.report.RunbookReporting;
import org.runbooks.ui.CurrentDetails;

import java.util.function.Supplier;

/**
 * Makes the runbook's state seen: entering a state moves the search attributes, the report's state times and the
 * Temporal UI's Current Details together; the status query reads the same ledger.
 */
final class StatePublisher implements Effects {

    private final Ledger ledger;
    private final RunbookReporting reporting;
    private final Supplier<Runbook> runbook;
    /** Whether this run upserts search attributes ({@link RunbookSearchAttributes#CHANGE_ID}); false until known. */
    boolean searchAttributes;

    StatePublisher(Ledger ledger, RunbookReporting reporting, Supplier<Runbook> runbook) {
        this.ledger = ledger;
        this.reporting = reporting;
        this.runbook = runbook;
    }

    @Override
    public void enter(RunbookState next) {
        ledger.state = next;
        reporting.stateEntered(next);
        if (searchAttributes) {
            GateView gate = ledger.gates.view(Workflow.getInfo().getWorkflowId());
            RunbookSearchAttributes.upsert(name(), ledger.phase, ledger.state,
                    gate == null ? "" : String.join(",", gate.approvers()));
        }
        showCurrentDetails();
    }

    /** What the Temporal UI shows on the workflow page; it issues no command, so replay is unaffected. */
    @Override
    public void showCurrentDetails() {
        Workflow.setCurrentDetails(CurrentDetails.render(Workflow.getInfo().getWorkflowId(), status()));
    }

    @Override
    public void enterDetached(RunbookState next) {
        Workflow.newDetachedCancellationScope(() -> enter(next)).run();
    }

    RunbookStatus status() {
        Runbook loaded = runbook.get();
        return ledger.status(name(), loaded == null ? 0 : loaded.stepCount(), Workflow.getInfo().getWorkflowId());
    }

    @Override
    public String name() {
        Runbook loaded = runbook.get();
        return loaded == null ? null : loaded.name();
    }
}
