package org.runbooks.runbook;

import org.runbooks.api.RunbookState;

/** What the parts of the runbook workflow (operators, rollback) need of it: its state changes ({@link StatePublisher}). */
interface Effects {

    /** Enters {@code next}: the search attributes, the report's state times and the Current Details follow. */
    void enter(RunbookState next);

    /** A state change that must be recorded even when the workflow is being cancelled. */
    void enterDetached(RunbookState next);

    /** Refreshes what the Temporal UI shows on the workflow page. */
    void showCurrentDetails();

    /** The runbook's name; null before it is loaded. */
    String name();
}
