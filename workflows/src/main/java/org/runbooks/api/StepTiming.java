package org.runbooks.api;

/**
 * When one step ran and how it ended, in workflow time (ISO-8601, UTC).
 *
 * @param kind     the step kind as the runbook writes it: backfill, validate, flag, sql, gate, wait, notify
 * @param outcome  {@code completed}, or how its phase ended while it ran ({@code failed}, {@code rejected},
 *                 {@code stopped}), or {@code running} when the runbook ended first
 * @param millis   from start to end; 0 while it has no end
 */
public record StepTiming(String step, String kind, String startedAt, String endedAt, String outcome, long millis) {
}
