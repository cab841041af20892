package org.runbooks.backfill;

import org.runbooks.api.CopyRange;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.util.concurrent.Callable;

/**
 * Copies one key range in keyset chunks, on connections of its own, from where its progress row says it stopped.
 * A {@link ChunkWriter} moves each chunk ({@code COPY} between PostgreSQL databases, batched upserts otherwise); the
 * chunk is committed in one transaction with the range's progress and the chunk's audit row, so a
 * kill at any point leaves either the whole chunk and its checkpoint, or neither. The source is read in read-only
 * transactions. Returns the range's progress when it has copied every row, or when the copy is stopped.
 */
final class RangeCopier implements Callable<CopyProgress> {

    private static final Logger log = LoggerFactory.getLogger(RangeCopier.class);

    private final ConnectionRegistry connections;
    private final CopyJob job;
    private final CopyRange range;
    private final CopyControl control;
    private CopyProgress progress;
    private boolean exhausted;

    RangeCopier(ConnectionRegistry connections, CopyJob job, CopyRange range, CopyProgress resumed, CopyControl control) {
        this.connections = connections;
        this.job = job;
        this.range = range;
        this.progress = resumed;
        this.control = control;
    }

    /** Copies on connections of its own, opened here and closed when it returns. */
    @Override
    public CopyProgress call() throws Exception {
        try (Connection source = connections.openForReading(job.sourceConnection());
             Connection target = connections.open(job.targetConnection())) {
            return copy(source, target);
        }
    }

    /**
     * Copies on the caller's connections (the source read-only), which it leaves open with no transaction of its
     * own pending: each chunk is committed or rolled back before the next.
     */
    CopyProgress copy(Connection source, Connection target) throws Exception {
        progress = LegacyInstantKeys.resumable(job, source, progress);
        try (ChunkWriter writer = ChunkWriter.open(job, range, source, target)) {
            while (!control.stopped()) {
                int rows = control.nextChunkRows(job.chunkRows(), writer.streams());
                if (control.stopped()) {
                    break;
                }
                long began = System.nanoTime();
                ChunkWriter.Chunk chunk = write(writer, target, rows, began);
                if (chunk.isEmpty()) {
                    exhausted = true;
                    break;
                }
                control.chunkCommitted(range, progress);
                control.chunkTimed(chunk.rows(), System.nanoTime() - began);
                log.debug("{} range {} chunk {} done, {} rows so far", job.log(), range, progress.chunks(),
                        progress.rowsCopied());
                control.pace(chunk.rows());
            }
            if (!exhausted && control.budgetSpent()) {
                exhausted = !writer.hasMore(progress.lastKey());
            }
        }
        return progress;
    }

    /** True once the copy found no row left in its range, even when it stopped because its budget was spent. */
    boolean exhausted() {
        return exhausted;
    }

    /**
     * Writes the next chunk and commits it with the range's progress (the size latency asks of the next chunk, timed
     * from {@code began} to before the commit, included) and the chunk's audit row, or neither.
     */
    private ChunkWriter.Chunk write(ChunkWriter writer, Connection target, int rows, long began) throws Exception {
        try {
            ChunkWriter.Chunk chunk = writer.writeNext(progress.lastKey(), rows);
            if (chunk.isEmpty()) {
                target.rollback();
                return chunk;
            }
            Integer nextRows = control.chunkWritten(chunk.rows(), System.nanoTime() - began);
            CopyProgress after = CopyProgressStore.chunkWritten(target, progress, chunk.firstKey(), chunk.lastKey(),
                    chunk.rows(), nextRows);
            target.commit();
            progress = after;
            return chunk;
        } catch (Exception e) {
            target.rollback();
            throw e;
        }
    }
}
