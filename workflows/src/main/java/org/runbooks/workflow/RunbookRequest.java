package org.runbooks.workflow;

/**
 * The input of a runbook workflow, as an operator passes it to {@code temporal workflow start --input}:
 * which runbook file to run (relative to the worker's runbooks directory) and, optionally, who starts it.
 * {@code phaseHistoryLimit} (optional, for tests) makes each phase continue as new after that many history events
 * instead of {@link PhaseRequest#DEFAULT_HISTORY_LIMIT}.
 */
public record RunbookRequest(String file, String startedBy, Integer phaseHistoryLimit) {

    public RunbookRequest(String file, String startedBy) {
        this(file, startedBy, null);
    }
}
