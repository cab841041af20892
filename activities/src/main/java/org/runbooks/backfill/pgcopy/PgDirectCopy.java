package org.runbooks.backfill.pgcopy;

import org.runbooks.api.CopyRange;
import org.runbooks.backfill.ChunkWriter;
import org.runbooks.backfill.CopyJob;
import org.runbooks.jdbc.dialect.PostgresDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
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
 * <p>The chunk is first named as a key interval ({@link PgChunkBounds}); the target is probed for any row in it
 * ({@code select exists (...)}, one look into the key's index); only an empty interval is copied, inside a savepoint
 * of the chunk's transaction. The probe is what keeps a populated target (a copy run again, rows the application
 * wrote first) from paying for a COPY that fails; the unique violation it would raise is still caught, rolled back
 * to the savepoint and sent to the staging path, for what the probe cannot see: a row committed between probe and
 * COPY, or a text key whose collation orders it elsewhere on the target. A retried chunk starts from the committed
 * checkpoint, so its interval holds nothing of its own: a failed attempt left no rows behind.
 *
 * <p>The source is read in one repeatable-read transaction per chunk, so the COPY sees exactly the keys the bounds
 * were read from, and the row count the target reports is the interval's.
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
    private int occupied;
    private int conflicts;

    PgDirectCopy(CopyJob job, CopyRange range, Connection source, Connection target, PgCopyPump pump,
                 PgCopyFormat format) throws SQLException {
        this.job = job;
        this.range = range;
        this.target = target;
        this.pump = pump;
        this.format = format;
        this.bounds = new PgChunkBounds(job, range, source);
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
    Optional<ChunkWriter.Chunk> writeNext(List<String> afterKey, int rows) throws SQLException, IOException {
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
        long copied;
        try {
            copied = pump.pump("copy (" + select + ") to stdout (format " + format.option() + ")", copyIn);
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            target.rollback(before);
            conflicts++;
            log.info("{} range {}: a row after {} up to {} appeared on the target during the COPY ({}); upserting"
                    + " the chunk", job.log(), range, afterKey, last, e.getMessage());
            return Optional.empty();
        }
        target.releaseSavepoint(before);
        pump.endRead();
        return Optional.of(new ChunkWriter.Chunk(Math.toIntExact(copied), chunk.get().first(), last));
    }

    /** Whether the source's range holds a key after {@code afterKey}: the first key of a one-row chunk, if any. */
    boolean hasMore(List<String> afterKey) throws SQLException {
        boolean more = bounds.next(afterKey, 1).isPresent();
        pump.endRead();
        return more;
    }

    private boolean targetHoldsAny(List<String> afterKey, List<String> upTo) throws SQLException {
        PostgresDialect to = (PostgresDialect) job.to();
        String probe = "select exists (select 1 from " + to.quoteTable(job.targetTable()) + " where "
                + PgKeyInterval.of(to, job.columns().targetKey(), range, afterKey, upTo) + ")";
        try (Statement st = target.createStatement(); ResultSet rs = st.executeQuery(probe)) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Chunks sent to the staging path because the target held rows in their interval, as the probe saw. */
    int occupied() {
        return occupied;
    }

    /** Chunks sent to the staging path by a unique violation during their COPY. */
    int conflicts() {
        return conflicts;
    }
}
