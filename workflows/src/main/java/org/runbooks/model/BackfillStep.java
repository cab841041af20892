package org.runbooks.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies every row of {@code from} (a table, or the result of {@code query} on {@code from}'s connection) into
 * {@code to} in keyset chunks with idempotent writes.
 *
 * @param query         a read-only SELECT used instead of {@code from.table()}, which is then null
 * @param key           the source key columns, in chunk order; single or composite (the target matches on their
 *                      mapped names)
 * @param columns       source column to target column; empty copies every column the two sides share by name
 * @param chunkRows     rows per chunk; defaults to {@link #DEFAULT_CHUNK_ROWS}
 * @param parallelism   how many key ranges are copied at once (1 or more)
 * @param rowsPerSecond the starting rate limit (0: none); an operator's {@code tune} overrides it
 * @param onRollback    what its compensation does with the rows it wrote
 * @param throttle      the probe that holds the copy back while the databases are busy; null: none
 */
public record BackfillStep(String id, TableRef from, String query, TableRef to, List<String> key,
                           Map<String, String> columns, int chunkRows, int parallelism, long rowsPerSecond,
                           BackfillRollback onRollback, BackfillThrottle throttle) implements Step {

    /** Default rows per chunk: 10,000, large enough to amortise a round trip, small enough to retry cheaply. */
    public static final int DEFAULT_CHUNK_ROWS = 10_000;

    public BackfillStep {
        key = List.copyOf(key);
        columns = columns == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        parallelism = Math.max(1, parallelism);
    }

    /** A copy without a throttle probe. */
    public BackfillStep(String id, TableRef from, String query, TableRef to, List<String> key,
                        Map<String, String> columns, int chunkRows, int parallelism, long rowsPerSecond,
                        BackfillRollback onRollback) {
        this(id, from, query, to, key, columns, chunkRows, parallelism, rowsPerSecond, onRollback, null);
    }

    /** A table-to-table copy of every shared column, one range at a time, with no rate limit. */
    public BackfillStep(String id, TableRef from, TableRef to, List<String> key, int chunkRows,
                        BackfillRollback onRollback) {
        this(id, from, null, to, key, Map.of(), chunkRows, 1, 0, onRollback);
    }

    /** The target column a source column lands in (itself when no mapping is given). */
    public String targetColumn(String sourceColumn) {
        return columns.isEmpty() ? sourceColumn : columns.get(sourceColumn);
    }

    @Override
    public StepKind kind() {
        return StepKind.BACKFILL;
    }
}
