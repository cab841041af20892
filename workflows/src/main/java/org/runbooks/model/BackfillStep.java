package org.runbooks.model;

import java.util.List;

/**
 * Copies every row of {@code from} into {@code to} in keyset chunks with idempotent writes.
 *
 * @param key       the key columns, in chunk order; single or composite
 * @param chunkRows rows per chunk; defaults to {@link #DEFAULT_CHUNK_ROWS}
 * @param onRollback what its compensation does with the rows it wrote
 */
public record BackfillStep(String id, TableRef from, TableRef to, List<String> key, int chunkRows,
                           BackfillRollback onRollback) implements Step {

    /** Default rows per chunk: 10,000, large enough to amortise a round trip, small enough to retry cheaply. */
    public static final int DEFAULT_CHUNK_ROWS = 10_000;

    public BackfillStep {
        key = List.copyOf(key);
    }
}
