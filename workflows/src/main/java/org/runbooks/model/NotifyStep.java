package org.runbooks.model;

/**
 * Posts {@code message} to the webhook the worker's configuration names {@code webhook}; the URL (and any token in
 * it) stays in the worker. It changes no data, so it has nothing to compensate, and a webhook that stays down is
 * logged and does not stop the runbook.
 */
public record NotifyStep(String id, String webhook, String message) implements Step {

    @Override
    public StepKind kind() {
        return StepKind.NOTIFY;
    }
}
