package org.runbooks.workflow;

/**
 * The input of a runbook workflow, as an operator passes it to {@code temporal workflow start --input}:
 * which runbook file to run (relative to the worker's runbooks directory) and, optionally, who starts it.
 */
public record RunbookRequest(String file, String startedBy) {
}
