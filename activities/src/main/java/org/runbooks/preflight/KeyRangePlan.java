package org.runbooks.preflight;

/**
 * How many key ranges a backfill that asks for parallelism copies at once, as its source's leading key allows: its
 * parallelism for an integer key, one for any other.
 *
 * @param stepId the backfill step's id
 * @param ranges the key ranges copied at once (at most; a key span narrower than that gives fewer)
 * @param why    why fewer than its parallelism, or null when as many
 */
public record KeyRangePlan(String stepId, int ranges, String why) {
}
