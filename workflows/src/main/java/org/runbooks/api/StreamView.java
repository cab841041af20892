package org.runbooks.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A stream as {@code status}, Current Details and the report show it, from its latest report to the runbook.
 *
 * @param step           the stream step's id
 * @param state          {@code holding} (waiting for the backfills into its target, changes kept on the source),
 *                       {@code applying}, {@code paused}, {@code stopped} (by a cutover, a rollback or the runbook's
 *                       end) or {@code failed}
 * @param lagSeconds     seconds behind the source (0 when caught up; -1 while unknown)
 * @param bytesBehind    source WAL or binlog bytes not applied yet; -1 when unknown
 * @param retainedBytes  PostgreSQL: WAL bytes the slot keeps on the source's disk; -1 when unknown or on MariaDB
 * @param changesApplied changes applied in all
 * @param appliedPosition the source position applied up to
 * @param detail         why it stopped or failed, or what it waits for; null otherwise
 * @param at             workflow time of the report, ISO-8601
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StreamView(String step, String state, double lagSeconds, long bytesBehind, long retainedBytes,
                         long changesApplied, String appliedPosition, String detail, String at) {

    public static final String HOLDING = "holding";
    public static final String APPLYING = "applying";
    public static final String PAUSED = "paused";
    public static final String STOPPED = "stopped";
    public static final String FAILED = "failed";

    /** True while the stream's workflow runs (holding, applying or paused). */
    public boolean live() {
        return !STOPPED.equals(state) && !FAILED.equals(state);
    }

    /**
     * This view as it stays once the stream ended (stopped or failed): its last lag, bytes behind and retained bytes
     * read -1, so {@code status} does not show a stream switched away or dropped as if it were still behind by them.
     */
    public StreamView ended() {
        return live() ? this : new StreamView(step, state, -1, -1, -1, changesApplied, appliedPosition, detail, at);
    }

    /** One line: {@code orders-stream applying · lag 0.4 s · 12,345 changes applied}. */
    public String line() {
        StringBuilder s = new StringBuilder(step).append(' ').append(state);
        if (lagSeconds >= 0 && live()) {
            s.append(" · lag ").append(String.format(java.util.Locale.ROOT, "%.1f s", lagSeconds));
        }
        if (bytesBehind >= 0 && live()) {
            s.append(" · ").append(String.format(java.util.Locale.ROOT, "%,d", bytesBehind)).append(" bytes behind");
        }
        s.append(" · ").append(String.format(java.util.Locale.ROOT, "%,d", changesApplied)).append(" changes applied");
        if (detail != null) {
            s.append(" · ").append(detail);
        }
        return s.toString();
    }
}
