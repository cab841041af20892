package org.runbooks.backfill.pgcopy;

import org.runbooks.api.CopyRange;
import org.runbooks.backfill.ChunkWriter;
import org.runbooks.backfill.CopyJob;
import org.runbooks.jdbc.dialect.PostgresDialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The chunk path that works whatever the target holds: the source's {@code COPY (select ... where <key> > <last key>
 * order by <key> limit <n>) TO STDOUT} is pumped into a staging table, and one {@code insert ... select ... on
 * conflict (<key>) do update} moves the staged rows into the target table, as the batched path's upsert would.
 *
 * <p>Why staging, and not "delete the chunk's key range, then COPY into the table": a delete would remove target
 * rows the source no longer has, and reset the target's own columns (a default such as {@code imported_at}, which
 * the mapping does not write) on rows that were already there. The staging table is a temporary table created once
 * per key range, {@code on commit delete rows}: it writes no WAL, is emptied by each chunk's commit, and its rows
 * carry the order they arrived in, so the chunk's first and last key (the checkpoint) are read from it in the
 * source's key order, whatever the two databases' collations.
 */
final class PgStagedCopy {

    /** The temporary staging table, one per target session (each key range has its own). */
    static final String STAGE = "pg_temp.runbook_copy_stage";
    /** The order rows arrived in: identity values COPY assigns as it reads the stream. */
    private static final String ARRIVAL = "runbook_copy_arrival";

    private final CopyJob job;
    private final CopyRange range;
    private final Connection target;
    private final PgCopyPump pump;
    private final PgCopyFormat format;
    private final String copyIn;
    private final String upsert;
    private final String chunkKeys;

    /** Creates the staging table and commits; fails if the target refuses it (no {@code TEMPORARY} privilege). */
    PgStagedCopy(CopyJob job, CopyRange range, Connection target, PgCopyPump pump, PgCopyFormat format)
            throws SQLException {
        this.job = job;
        this.range = range;
        this.target = target;
        this.pump = pump;
        this.format = format;
        PostgresDialect to = (PostgresDialect) job.to();
        List<String> columns = job.columns().target();
        createStage(to, columns);
        this.copyIn = "copy " + to.quoteTable(STAGE) + " (" + to.columnList(columns) + ") from stdin (format "
                + format.option() + ")";
        this.upsert = to.upsertFrom(STAGE, job.targetTable(), columns, job.columns().targetKey());
        String key = to.columnList(job.columns().targetKey());
        this.chunkKeys = "select " + key + " from " + to.quoteTable(STAGE) + " where " + ARRIVAL + " in ((select min("
                + ARRIVAL + ") from " + to.quoteTable(STAGE) + "), (select max(" + ARRIVAL + ") from "
                + to.quoteTable(STAGE) + ")) order by " + ARRIVAL;
    }

    private void createStage(PostgresDialect to, List<String> columns) throws SQLException {
        try (Statement st = target.createStatement()) {
            st.execute("drop table if exists " + to.quoteTable(STAGE));
            st.execute("create temporary table " + to.quoteTable(STAGE)
                    + " on commit delete rows as select " + to.columnList(columns) + " from "
                    + to.quoteTable(job.targetTable()) + " with no data");
            st.execute("alter table " + to.quoteTable(STAGE) + " add column " + ARRIVAL
                    + " bigint generated always as identity");
        }
        target.commit();
    }

    /** Stages the next chunk after {@code afterKey} and upserts it into the target's open transaction. */
    ChunkWriter.Chunk writeNext(List<String> afterKey, int rows) throws SQLException {
        String select = job.from().keysetChunk(job.source(), job.columns().source(), job.columns().sourceKey(),
                afterKey, range.from(), range.to(), rows);
        long copied = pump.pump("copy (" + select + ") to stdout (format " + format.option() + ")", copyIn).rows();
        pump.endRead();
        if (copied == 0) {
            return ChunkWriter.Chunk.NONE;
        }
        List<List<String>> keys = firstAndLastKey();
        try (Statement st = target.createStatement()) {
            st.executeUpdate(upsert);
        }
        return new ChunkWriter.Chunk(Math.toIntExact(copied), keys.get(0), keys.get(keys.size() - 1));
    }

    private List<List<String>> firstAndLastKey() throws SQLException {
        int width = job.columns().targetKey().size();
        List<List<String>> keys = new ArrayList<>(2);
        try (Statement st = target.createStatement(); ResultSet rs = st.executeQuery(chunkKeys)) {
            while (rs.next()) {
                List<String> key = new ArrayList<>(width);
                for (int i = 1; i <= width; i++) {
                    key.add(rs.getString(i));
                }
                keys.add(key);
            }
        }
        return keys;
    }
}
