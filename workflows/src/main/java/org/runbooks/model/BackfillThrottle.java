package org.runbooks.model;

/**
 * A backfill's {@code throttle}: a probe asked before every chunk, which returns one number (replica lag in
 * milliseconds, a queue depth, load), and the most it may be. Above {@code max}, the copy waits and halves its chunk
 * size; healthy again, it grows the chunk size back step by step to the configured one. The idea of gh-ost's
 * {@code --throttle-query} and {@code --max-lag-millis}.
 *
 * @param query      a read-only SELECT returning one number, run on {@code connection}; null for an endpoint probe
 * @param connection where {@code query} runs
 * @param url        a URL written in the runbook, as runbooks loaded before endpoints existed carry it; the worker
 *                   no longer fetches it (a runbook may not make the worker reach an address of its choosing)
 * @param max        the highest value at which the copy goes on
 * @param endpoint   the name of an HTTP endpoint in the worker's configuration ({@code runbooks.webhooks}) whose
 *                   answer to a GET is one number; null for a query probe
 */
public record BackfillThrottle(String query, String connection, String url, double max, String endpoint) {

    /** A query probe. */
    public BackfillThrottle(String query, String connection, double max) {
        this(query, connection, null, max, null);
    }

    /** {@code the query on target} or {@code endpoint load-probe}, as messages and status name the probe. */
    public String describe() {
        return query != null ? "the query on " + connection : endpoint != null ? "endpoint " + endpoint : url;
    }
}
