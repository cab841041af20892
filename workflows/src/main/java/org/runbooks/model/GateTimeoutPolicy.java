package org.runbooks.model;

/** What a gate does when its timeout runs out before a decision. */
public enum GateTimeoutPolicy {
    /** Treat the silence as a rejection and roll back. The default: no one said go. */
    ROLLBACK,
    /** Keep waiting for a decision; the timeout only marks the gate overdue. */
    KEEP_WAITING,
    /**
     * Go on when the latest validation before the gate passed; otherwise roll back. For gates that exist to give
     * people a chance to object, not to collect a yes.
     */
    PROCEED_IF_VALIDATED
}
