package org.runbooks.backfill.pgcopy;

import org.runbooks.api.CopyRange;
import org.runbooks.backfill.ChunkWriter;
import org.runbooks.backfill.CopyJob;
import org.runbooks.jdbc.dialect.PostgresDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * The fast chunk path: {@code COPY} from the source table straight into the target table, with no staging table and
 * no upsert, for a chunk whose key interval the target holds no row of. Inserting then writes exactly the rows the
 * upsert would, so the two paths leave the same table; anything else goes to {@link PgStagedCopy}.
 *
 * <p>First the target is asked whether it holds any row after the checkpoint in the rest of the range ({@code select
 * exists (...)}, one look into the key's index). Where it holds none, as in every chunk of a first copy into an
 * empty table, the chunk is simply the next {@code n} keys: {@code COPY (select ... where <key> > <last key> order by
 * <key> limit n)} goes straight into the table, and its first and last key are read from the rows that passed
 * ({@link PgCopyRowKey}). Once the rest of the range holds a row, each chunk is first named as a key interval
 * ({@link PgChunkBounds}, a walk along the source's key index), the target is probed for any row in that interval,
 * and only an empty interval is copied. The probes are what keep a populated target (a copy run again, rows the
 * application or a stream wrote first) from paying for a COPY that fails; the unique violation it would raise is
 * still caught, rolled back to the chunk's savepoint and sent to the staging path, for what a probe cannot see: a
 * row committed between probe and COPY, or a text key whose collation orders it elsewhere on the target. A retried
 * chunk starts from the committed checkpoint, so its interval holds nothing of its own: a failed attempt left no rows
 * behind.
 *
 * <p>The source is read in one repeatable-read transaction per chunk, so a COPY bounded by a query sees exactly the
 * keys the bounds were read from, and the row count the target reports is the interval's.
 */
final class PgDirectCopy {

    private static final Logger log = LoggerFactory.getLogger(PgDirectCopy.class);
    /** SQLState of a duplicate key. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final CopyJob job;
    private final CopyRange range;
    private final Connection target;
    private final PgCopyPump pump;
    private final PgCopyFormat format;
    private final PgChunkBounds bounds;
    private final String copyIn;
    private final PgCopyRowKey rowKey;
    /** Whether the target may still hold no row in the rest of the range; once it does, every chunk is bounded. */
    private boolean restMayBeNew;
    private int occupied;
    private int conflicts;
    private int unbounded;

    PgDirectCopy(CopyJob job, CopyRange range, Connection source, Connection target, PgCopyPump pump,
                 PgCopyFormat format, PgCopyRowKey rowKey) throws SQLException {
        this.job = job;
        this.range = range;
        this.target = target;
        this.pump = pump;
        this.format = format;
        this.bounds = new PgChunkBounds(job, range, source);
        this.rowKey = rowKey;
        this.restMayBeNew = rowKey.readable();
        source.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        PostgresDialect to = (PostgresDialect) job.to();
        this.copyIn = "copy " + to.quoteTable(job.targetTable()) + " (" + to.columnList(job.columns().target())
                + ") from stdin (format " + format.option() + ")";
    }

    /**
     * Copies the next chunk after {@code afterKey} into the target's open transaction; {@link ChunkWriter.Chunk#NONE}
     * when the range has no rows left, and empty, with nothing written, when the target already holds a row in the
     * chunk's interval and the chunk must be upserted.
     */
    Optional<ChunkWriter.Chunk> writeNext(List<String> afterKey, int rows) throws SQLException {
        if (restMayBeNew) {
            restMayBeNew = !targetHoldsAny(afterKey, null);
            if (restMayBeNew) {
                Optional<ChunkWriter.Chunk> chunk = writeUnbounded(afterKey, rows);
                if (chunk != null) {
                    return chunk;
                }
            }
        }
        Optional<PgChunkBounds.Bounds> chunk = bounds.next(afterKey, rows);
        if (chunk.isEmpty()) {
            pump.endRead();
            return Optional.of(ChunkWriter.Chunk.NONE);
        }
        List<String> last = chunk.get().last();
        if (targetHoldsAny(afterKey, last)) {
            pump.endRead();
            occupied++;
            log.debug("{} range {}: the target holds rows after {} up to {}; upserting the chunk", job.log(), range,
                    afterKey, last);
            return Optional.empty();
        }
        PostgresDialect from = (PostgresDialect) job.from();
        String select = "select " + from.columnList(job.columns().source()) + " from " + from.relation(job.source())
                + " where " + PgKeyInterval.of(from, job.columns().sourceKey(), range, afterKey, last) + " order by "
                + from.columnList(job.columns().sourceKey());
        Savepoint before = target.setSavepoint();
        Optional<PgCopyPump.Pumped> copied = copyBack(before, select, afterKey, last);
        if (copied.isEmpty()) {
            return Optional.empty();
        }
        target.releaseSavepoint(before);
        pump.endRead();
        return Optional.of(new ChunkWriter.Chunk(Math.toIntExact(copied.get().rows()), chunk.get().first(), last));
    }

    /**
     * Copies the next {@code rows} keys after {@code afterKey} with no bounds read first, the target holding none of
     * the rest of the range; null, with nothing written, when a row's key cannot be read back from what was copied,
     * so the chunk is bounded by a query instead (and so are the range's later chunks).
     */
    private Optional<ChunkWriter.Chunk> writeUnbounded(List<String> afterKey, int rows) throws SQLException {
        String select = job.from().keysetChunk(job.source(), job.columns().source(), job.columns().sourceKey(),
                afterKey, range.from(), range.to(), rows);
        Savepoint before = target.setSavepoint();
        Optional<PgCopyPump.Pumped> copied = copyBack(before, select, afterKey, null);
        if (copied.isEmpty()) {
            return Optional.empty();
        }
        PgCopyPump.Pumped pumped = copied.get();
        if (pumped.rows() == 0) {
            target.releaseSavepoint(before);
            pump.endRead();
            return Optional.of(ChunkWriter.Chunk.NONE);
        }
        List<String> first = rowKey.read(pumped.first());
        List<String> last = rowKey.read(pumped.last());
        if (last == null) {
            last = rowKey.read(pumped.beforeLast());
        }
        if (first == null || last == null) {
            target.rollback(before);
            pump.endRead();
            restMayBeNew = false;
            log.warn("{} range {}: the copied rows' keys could not be read back; bounding each chunk by a query",
                    job.log(), range);
            return null;
        }
        target.releaseSavepoint(before);
        pump.endRead();
        unbounded++;
        return Optional.of(new ChunkWriter.Chunk(Math.toIntExact(pumped.rows()), first, last));
    }

    /**
     * Pumps {@code select} into the target table after the savepoint {@code before}; empty, rolled back to it, when
     * the target already held one of the rows (a duplicate key), so the chunk goes through the staging table.
     */
    private Optional<PgCopyPump.Pumped> copyBack(Savepoint before, String select, List<String> afterKey,
                                                 List<String> last) throws SQLException {
        try {
            return Optional.of(pump.pump("copy (" + select + ") to stdout (format " + format.option() + ")",
                    copyIn));
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            target.rollback(before);
            conflicts++;
            restMayBeNew = false;
            log.info("{} range {}: a row after {} up to {} appeared on the target during the COPY ({}); upserting"
                    + " the chunk", job.log(), range, afterKey, last == null ? "the chunk's end" : last,
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** Whether the source's range holds a key after {@code afterKey}: the first key of a one-row chunk, if any. */
    boolean hasMore(List<String> afterKey) throws SQLException {
        boolean more = bounds.next(afterKey, 1).isPresent();
        pump.endRead();
        return more;
    }

    /**
     * Whether the target holds a row in the interval. Written as the first key in key order ({@code order by <key>
     * limit 1}), so the planner walks the key's index even where the target's statistics are those of the empty
     * table the copy began with: an {@code exists} over an open interval was planned as a scan of the whole table
     * (a third of it estimated to match), which found nothing and so read every row the copy had committed.
     */
    private boolean targetHoldsAny(List<String> afterKey, List<String> upTo) throws SQLException {
        PostgresDialect to = (PostgresDialect) job.to();
        String probe = "select 1 from " + to.quoteTable(job.targetTable()) + " where "
                + PgKeyInterval.of(to, job.columns().targetKey(), range, afterKey, upTo) + " order by "
                + to.columnList(job.columns().targetKey()) + " limit 1";
        try (Statement st = target.createStatement(); ResultSet rs = st.executeQuery(probe)) {
            return rs.next();
        }
    }

    /** Chunks sent to the staging path because the target held rows in their interval, as the probe saw. */
    int occupied() {
        return occupied;
    }

    /** Chunks copied straight into the table with no query for their bounds first. */
    int unbounded() {
        return unbounded;
    }

    /** Chunks sent to the staging path by a unique violation during their COPY. */
    int conflicts() {
        return conflicts;
    }
}
