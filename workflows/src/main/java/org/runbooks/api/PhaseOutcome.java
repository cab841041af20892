package org.runbooks.api;

/** How a phase's child workflow ended. */
public enum PhaseOutcome {
    /** Every step completed. */
    COMPLETED,
    /** A gate was rejected, or timed out under the rollback policy. */
    REJECTED,
    /** A step failed after its retries, or its validation did not pass. */
    FAILED
}
