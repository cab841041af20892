package org.runbooks.workflow;

/**
 * The input of a runbook workflow, as an operator passes it to {@code temporal workflow start --input}:
 * which runbook file to run (relative to the worker's runbooks directory) and, optionally, who starts it.
 *
 * @param historyLimit      events one run's history may hold before the runbook continues as new at the next phase
 *                          boundary; null means {@link HistoryBound#DEFAULT_EVENTS}. Tests set a small value.
 * @param phaseHistoryLimit (optional, for tests) makes each phase continue as new after that many history events
 *                          instead of {@link PhaseRequest#DEFAULT_HISTORY_LIMIT}.
 * @param carryOver         internal, set by the runbook itself when it continues as new: where it stands. Null at
 *                          start; operators leave it out.
 */
public record RunbookRequest(String file, String startedBy, Integer historyLimit, Integer phaseHistoryLimit,
                             RunbookCarryOver carryOver) {

    public RunbookRequest(String file, String startedBy) {
        this(file, startedBy, null, null, null);
    }

    /** A request whose phases continue as new after {@code phaseHistoryLimit} events (tests). */
    public RunbookRequest(String file, String startedBy, Integer phaseHistoryLimit) {
        this(file, startedBy, null, phaseHistoryLimit, null);
    }

    /** A request whose runbook continues as new after {@code historyLimit} events (tests), or carrying a run's state. */
    public RunbookRequest(String file, String startedBy, Integer historyLimit, RunbookCarryOver carryOver) {
        this(file, startedBy, historyLimit, null, carryOver);
    }

    /** The same request for the next run of the runbook, carrying where this run stopped. */
    RunbookRequest continued(RunbookCarryOver state) {
        return new RunbookRequest(file, startedBy, historyLimit, phaseHistoryLimit, state);
    }
}
