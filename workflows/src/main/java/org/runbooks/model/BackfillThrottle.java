package org.runbooks.model;

/**
 * A backfill's {@code throttle}: a probe asked before every chunk, which returns one number (replica lag in
 * milliseconds, a queue depth, load), and the most it may be. Above {@code max}, the copy waits and halves its chunk
 * size; healthy again, it grows the chunk size back step by step to the configured one. The idea of gh-ost's
 * {@code --throttle-query} and {@code --max-lag-millis}.
 *
 * @param query      a read-only SELECT returning one number, run on {@code connection}; null when {@code url} is given
 * @param connection where {@code query} runs
 * @param url        an http(s) URL whose body is one number; null when {@code query} is given
 * @param max        the highest value at which the copy goes on
 */
public record BackfillThrottle(String query, String connection, String url, double max) {

    /** {@code the query on target} or the URL, as messages and status name the probe. */
    public String describe() {
        return query != null ? "the query on " + connection : url;
    }
}
