package org.runbooks.api;

/**
 * How far the running (or latest) backfill has come, as the {@code status} query shows it: rows copied so far of
 * the source's row count when the copy was planned, the whole percent, the copy's rate in rows per second of
 * workflow time, and when it should end at that rate (an ISO-8601 instant; null until a rate is known). Rows added
 * to the source after planning can take {@code rowsDone} past {@code rowsTotal}; the percent stops at 100.
 */
public record BackfillProgress(String step, long rowsDone, long rowsTotal, int percent, long rowsPerSecond,
                               String eta) {
}
