package org.runbooks.api;

/**
 * What an activity tells the phase that scheduled it when an attempt fails because a database or webhook cannot be
 * reached, just before the attempt fails: workflow code cannot see an activity's retries, so without this the
 * runbook's {@code status} would show the step as running while it retries for minutes.
 *
 * @param activityType the failing activity's type, such as {@code CopySlice}
 * @param attempt      the attempt that failed, 1 for the first
 * @param error        why, already scrubbed: the driver's message and SQLState, or the webhook's name, never a URL
 *                     or a password
 * @param at           when the attempt failed, an ISO-8601 instant of the worker's clock
 */
public record ActivityTrouble(String activityType, int attempt, String error, String at) {
}
