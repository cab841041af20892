package org.runbooks.activities;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.PGCopyInputStream;
import org.runbooks.dialect.PostgresDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves a chunk between two PostgreSQL databases with {@code COPY}: the source runs
 * {@code COPY (select <columns> from <source> where <key> > <last key> order by <key> limit <n>) TO STDOUT}, and its
 * bytes are pumped, 64 KiB at a time and never held whole, into {@code COPY <staging table> FROM STDIN} on the
 * target; one {@code insert ... select ... on conflict (<key>) do update} then moves the staged rows into the
 * target table. The format is binary where both sides' types allow it ({@link PgCopyFormat}).
 *
 * <p>Why a staging table, and not "delete the chunk's key range, then COPY into the table": the chunk's last key is
 * only known once the chunk has been read, so a delete would first need a round trip of its own; a delete would
 * remove target rows the source no longer has, and reset the target's own columns (a default such as
 * {@code imported_at}, which the mapping does not write) on rows that were already there; and the upsert is what
 * the batched path writes, so both paths leave the same rows and a copy can resume on either. The staging table is
 * a temporary table created once per key range, {@code on commit delete rows}: it writes no WAL, is emptied by each
 * chunk's commit, and its rows carry the order they arrived in, so the chunk's first and last key (the checkpoint)
 * are read from it in the source's key order, whatever the two databases' collations.
 */
final class PgCopyChunkWriter implements ChunkWriter {

    private static final Logger log = LoggerFactory.getLogger(PgCopyChunkWriter.class);
    /** The temporary staging table, one per target session (each key range has its own). */
    static final String STAGE = "pg_temp.runbook_copy_stage";
    /** The order rows arrived in: identity values COPY assigns as it reads the stream. */
    private static final String ARRIVAL = "runbook_copy_arrival";
    /** Bytes pumped from the source's COPY into the target's per write: 64 KiB. */
    private static final int PUMP_BYTES = 65_536;

    private final CopyJob job;
    private final KeyRange range;
    private final Connection source;
    private final Connection target;
    private final CopyManager into;
    private final PgCopyFormat format;
    private final String copyIn;
    private final String upsert;
    private final String chunkKeys;

    PgCopyChunkWriter(CopyJob job, KeyRange range, Connection source, Connection target) throws SQLException {
        this.job = job;
        this.range = range;
        this.source = source;
        this.target = target;
        this.into = target.unwrap(PGConnection.class).getCopyAPI();
        PostgresDialect to = (PostgresDialect) job.to();
        List<String> columns = job.columns().target();
        this.format = PgCopyFormat.choose(source, job.from(), job.source(), job.columns().source(), target, to,
                job.targetTable(), columns);
        source.commit();
        createStage(to, columns);
        this.copyIn = "copy " + to.quoteTable(STAGE) + " (" + to.columnList(columns) + ") from stdin (format "
                + format.option() + ")";
        this.upsert = to.upsertFrom(STAGE, job.targetTable(), columns, job.columns().targetKey());
        String key = to.columnList(job.columns().targetKey());
        this.chunkKeys = "select " + key + " from " + to.quoteTable(STAGE) + " where " + ARRIVAL + " in ((select min("
                + ARRIVAL + ") from " + to.quoteTable(STAGE) + "), (select max(" + ARRIVAL + ") from "
                + to.quoteTable(STAGE) + ")) order by " + ARRIVAL;
        log.info("{} range {}: copying with COPY (FORMAT {}) through a staging table", job.log(), range,
                format.option());
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

    @Override
    public Chunk writeNext(List<String> afterKey) throws SQLException, IOException {
        String select = job.from().keysetChunk(job.source(), job.columns().source(), job.columns().sourceKey(),
                afterKey, range.from(), range.to(), job.chunkRows());
        String copyOut = "copy (" + select + ") to stdout (format " + format.option() + ")";
        long rows;
        try (PGCopyInputStream chunk = new PGCopyInputStream(source.unwrap(PGConnection.class), copyOut)) {
            rows = into.copyIn(copyIn, chunk, PUMP_BYTES);
            source.commit();
        } catch (SQLException | IOException | RuntimeException e) {
            rollbackSource(e);
            throw e;
        }
        if (rows == 0) {
            return Chunk.NONE;
        }
        List<List<String>> keys = firstAndLastKey();
        try (Statement st = target.createStatement()) {
            st.executeUpdate(upsert);
        }
        return new Chunk(Math.toIntExact(rows), keys.get(0), keys.get(keys.size() - 1));
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

    private void rollbackSource(Exception cause) {
        try {
            source.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** The staging table goes with the session; nothing else is held between chunks. */
    @Override
    public void close() {
    }
}
