package org.runbooks.backfill.pgcopy;

import org.runbooks.api.CopyRange;
import org.runbooks.backfill.ChunkWriter;
import org.runbooks.backfill.CopyJob;
import org.runbooks.jdbc.dialect.Relation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Moves a chunk between two PostgreSQL databases with {@code COPY}, its bytes pumped from the source's
 * {@code COPY ... TO STDOUT} into the target's {@code COPY ... FROM STDIN} and never held whole, in binary where
 * both sides' types allow it ({@link PgCopyFormat}). Two paths write the same rows:
 * <ul>
 *   <li>{@link PgDirectCopy} copies straight into the target table when the chunk's key interval holds nothing
 *       there yet, as in every chunk of a first copy into an empty table. Inserting is all an upsert would do.</li>
 *   <li>{@link PgStagedCopy} copies into a staging table and upserts from it: for a chunk whose interval the target
 *       already holds rows of, and for every chunk of a query source (which the direct path would have to run twice,
 *       once for the chunk's bounds and once for its rows).</li>
 * </ul>
 * Either path leaves the chunk in the target's open transaction, for the caller to commit with the checkpoint.
 */
public final class PgCopyChunkWriter implements ChunkWriter {

    private static final Logger log = LoggerFactory.getLogger(PgCopyChunkWriter.class);

    private final CopyJob job;
    private final CopyRange range;
    private final PgStagedCopy staged;
    private final PgDirectCopy direct;
    private int directChunks;
    private int stagedChunks;

    public PgCopyChunkWriter(CopyJob job, CopyRange range, Connection source, Connection target) throws SQLException {
        this.job = job;
        this.range = range;
        PgCopyFormat format = PgCopyFormat.choose(source, job.from(), job.source(), job.columns().source(), target,
                job.to(), job.targetTable(), job.columns().target());
        boolean table = job.source() instanceof Relation.Table;
        PgCopyRowKey rowKey = table ? new PgCopyRowKey(format, job.columns().keyIndex(),
                PgCopyFormat.typeNames(source, job.from(), job.source(), job.columns().sourceKey())) : null;
        source.commit();
        PgCopyPump pump = new PgCopyPump(source, target);
        this.staged = new PgStagedCopy(job, range, target, pump, format);
        this.direct = table ? new PgDirectCopy(job, range, source, target, pump, format, rowKey) : null;
        log.info("{} range {}: copying with COPY (FORMAT {}) {}", job.log(), range, format.option(), table
                ? "straight into the table where a chunk's keys are new to it, else through a staging table"
                : "through a staging table (the source is a query)");
    }

    @Override
    public Chunk writeNext(List<String> afterKey, int rows) throws SQLException {
        if (direct != null) {
            Optional<Chunk> chunk = direct.writeNext(afterKey, rows);
            if (chunk.isPresent()) {
                directChunks += chunk.get().isEmpty() ? 0 : 1;
                return chunk.get();
            }
        }
        Chunk chunk = staged.writeNext(afterKey, rows);
        stagedChunks += chunk.isEmpty() ? 0 : 1;
        return chunk;
    }

    /** A chunk is pumped from one {@code COPY} into the other 64 KiB at a time, never held whole. */
    @Override
    public boolean streams() {
        return true;
    }

    /** For a table source, one look into the source's key index; true (unknown) for a query source. */
    @Override
    public boolean hasMore(List<String> afterKey) throws SQLException {
        return direct == null || direct.hasMore(afterKey);
    }

    /**
     * Logs how the range's chunks travelled. The staging table goes with the session; nothing else is held between
     * chunks.
     */
    @Override
    public void close() {
        if (direct == null) {
            log.info("{} range {}: {} chunks through the staging table", job.log(), range, stagedChunks);
        } else {
            log.info("{} range {}: {} chunks straight into the table, {} through the staging table ({} into key"
                    + " intervals the target held rows in, {} after a duplicate key); {} of them copied with no query"
                    + " for their bounds first", job.log(), range, directChunks, stagedChunks, direct.occupied(),
                    direct.conflicts(), direct.unbounded());
        }
    }
}
