package org.runbooks.backfill;

import org.postgresql.PGConnection;
import org.runbooks.api.CopyRange;
import org.runbooks.backfill.pgcopy.PgCopyChunkWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Moves one keyset chunk of a key range from the source into the target's open transaction, for
 * {@link RangeCopier}, which commits it together with the range's checkpoint. Two ways exist: PostgreSQL's
 * {@code COPY} between two PostgreSQL databases ({@link PgCopyChunkWriter}), and batched upserts everywhere else
 * ({@link UpsertChunkWriter}). Both write each row as the same upsert would, so a copy may resume on either.
 */
public interface ChunkWriter extends AutoCloseable {

    /**
     * What one chunk wrote: its row count and the first and last key in the source's key order, as text.
     * {@link #NONE} when the range has no rows after the key asked for.
     */
    record Chunk(int rows, List<String> firstKey, List<String> lastKey) {

        public static final Chunk NONE = new Chunk(0, null, null);

        public boolean isEmpty() {
            return rows == 0;
        }
    }

    /**
     * Reads the range's next chunk of at most {@code rows} rows after {@code afterKey} (null: from the range's start)
     * in a read-only source transaction, which it ends, and writes it into the target's open transaction, which the
     * caller commits with the checkpoint or rolls back. {@code rows} is the copy's chunk size unless a throttle cut it.
     */
    Chunk writeNext(List<String> afterKey, int rows) throws Exception;

    /**
     * Whether the range holds any row after {@code afterKey}, asked when a slice has written its chunks, so a range
     * that ends exactly there is reported done instead of costing one more, empty, slice. True when the writer
     * cannot tell cheaply; the next slice then finds out.
     */
    default boolean hasMore(List<String> afterKey) throws Exception {
        return true;
    }

    /**
     * Whether a chunk passes through the worker without being held whole, so that its size costs no memory and it
     * may grow past the configured size while chunks are fast ({@link ChunkLatency}). False by default.
     */
    default boolean streams() {
        return false;
    }

    @Override
    void close() throws SQLException;

    /**
     * The fastest writer both connections allow: {@code COPY} when both sides are PostgreSQL reached through
     * PgJDBC, the batched upsert otherwise, or when the target refuses the staging table COPY needs (no
     * {@code TEMPORARY} privilege, say): that is logged, and the copy goes on at upsert speed. A lost connection is
     * thrown, for the activity's retry.
     */
    static ChunkWriter open(CopyJob job, CopyRange range, Connection source, Connection target) throws SQLException {
        if (job.from().supportsCopy() && job.to().supportsCopy()
                && source.isWrapperFor(PGConnection.class) && target.isWrapperFor(PGConnection.class)) {
            try {
                return new PgCopyChunkWriter(job, range, source, target);
            } catch (SQLException e) {
                if (e.getSQLState() == null || e.getSQLState().startsWith("08") || e.getSQLState().startsWith("57P")) {
                    throw e;
                }
                source.rollback();
                target.rollback();
                Logger log = LoggerFactory.getLogger(ChunkWriter.class);
                log.warn("{} range {}: COPY is not possible ({} [SQLState {}]); copying with batched upserts",
                        job.log(), range, e.getMessage(), e.getSQLState());
            }
        }
        return new UpsertChunkWriter(job, range, source, target);
    }
}
