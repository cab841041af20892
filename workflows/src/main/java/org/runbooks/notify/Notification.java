package org.runbooks.notify;

/**
 * One message to a named webhook. {@code idempotencyKey} is the run key plus the step id, the same for every retry,
 * so receivers can tell a retry from a new message.
 */
public record Notification(String idempotencyKey, String webhook, String runbook, String phase, String step,
                           String message) {
}
