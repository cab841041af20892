package org.runbooks.model;

/**
 * Where a runbook's automatic notifications go: the top-level {@code notify: {webhook: ops}}. With it, the runbook
 * posts to that webhook when a gate starts waiting, when a gate is decided, when a validation fails, when a rollback
 * starts and ends, and when the runbook ends; without it, only {@code notify} steps and gate reminders post.
 *
 * @param webhook a webhook name from the worker's configuration; the URL and any token stay in the worker
 */
public record AutoNotify(String webhook) {
}
