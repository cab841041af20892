package org.runbooks.notify;

/**
 * The JSON body a webhook receives. {@code idempotencyKey} is the same on every retry of one notification, so a
 * receiver can drop the copies; {@code sentAt} is when this attempt was sent (ISO-8601, UTC).
 */
record WebhookMessage(String idempotencyKey, String runbook, String phase, String step, String message,
                      String sentAt) {
}
