package org.runbooks.step;

/**
 * How many key ranges a backfill copies at once, as pre-flight found its source's leading key allows.
 *
 * @param ranges the key ranges copied at once
 * @param why    why fewer than its parallelism, or null when as many
 */
public record KeyRanges(int ranges, String why) {
}
