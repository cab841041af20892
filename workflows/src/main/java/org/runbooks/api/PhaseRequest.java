package org.runbooks.api;

import org.runbooks.model.Phase;

/**
 * The input of one phase's child workflow. {@code runKey} (runbook workflow id + its first run id) prefixes every
 * idempotency key the phase's activities get, so a retried call is recognised and a new run is not. {@code knobs}
 * are the operator's settings when the phase starts (null in histories recorded before knobs existed).
 * {@code lastValidationPassed} is the verdict of the runbook's latest validation before this phase (null: none ran),
 * which a gate with the proceed-if-validated timeout policy needs. {@code historyLimit} is how many history events a
 * run of the phase may reach before it continues as new (null: {@link #DEFAULT_HISTORY_LIMIT}); {@code carry} is
 * what a run that continued as new hands to the next one (null for the first run).
 */
public record PhaseRequest(String runbook, String runKey, Phase phase, String startedBy, Knobs knobs,
                           Boolean lastValidationPassed, Integer historyLimit, PhaseCarry carry) {

    /**
     * History events after which a phase continues as new at its next safe point: 8,000, well below Temporal's
     * 10,240-event warning, leaving room for the slices still running when the limit is passed.
     */
    public static final int DEFAULT_HISTORY_LIMIT = 8_000;

    public PhaseRequest(String runbook, String runKey, Phase phase, String startedBy, Knobs knobs,
                        Boolean lastValidationPassed) {
        this(runbook, runKey, phase, startedBy, knobs, lastValidationPassed, null, null);
    }

    public PhaseRequest(String runbook, String runKey, Phase phase, String startedBy, Knobs knobs) {
        this(runbook, runKey, phase, startedBy, knobs, null);
    }

    /**
     * Fewest history events a run may reach before it continues as new: 100, so every run gets some work done
     * (a new run begins with a dozen events) and a small limit cannot make a phase continue as new for ever.
     */
    public static final int MIN_HISTORY_LIMIT = 100;

    /** The history length that makes this phase continue as new. */
    public int effectiveHistoryLimit() {
        return historyLimit == null ? DEFAULT_HISTORY_LIMIT : Math.max(MIN_HISTORY_LIMIT, historyLimit);
    }

    /** The input of the next run: the same phase, carrying {@code next}. */
    public PhaseRequest continuedWith(PhaseCarry next) {
        return new PhaseRequest(runbook, runKey, phase, startedBy, knobs, lastValidationPassed, historyLimit, next);
    }
}
