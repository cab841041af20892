package org.runbooks.api;

/**
 * One rollback: of everything ({@code domain} null) or of one domain, why, when and how long it took.
 *
 * @param compensations how many compensations it ran
 * @param failed        how many of them failed after their retries
 */
public record RollbackTiming(String domain, String reason, String startedAt, String endedAt, long millis,
                             int compensations, int failed) {
}
