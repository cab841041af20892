package org.runbooks.backfill;

import org.runbooks.api.CopyRange;
import org.runbooks.jdbc.dialect.Dialect;
import org.runbooks.jdbc.dialect.KeysetBounds;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The portable way to move a chunk: read it with a keyset query into memory (one chunk, {@code chunkRows} rows at
 * most), then write it as one JDBC batch of upserts. Works between any two databases a dialect exists for.
 *
 * <p>A chunk's first and last key are read as the source database's text ({@link Dialect#readKey}),
 * not rendered from the Java value: a {@code byte[]} would print as {@code [B@1b6d3586}, and a
 * {@link java.sql.Timestamp} in the JVM's zone, where {@code 01:30} happens twice the night clocks go back.
 */
final class UpsertChunkWriter implements ChunkWriter {

    private final CopyJob job;
    private final CopyRange range;
    private final Connection source;
    private final int[] keyIndex;
    private final boolean[] binaryKey;
    private final PreparedStatement first;
    private final PreparedStatement next;
    private final PreparedStatement upsert;

    UpsertChunkWriter(CopyJob job, CopyRange range, Connection source, Connection target) throws SQLException {
        this.job = job;
        this.range = range;
        this.source = source;
        this.keyIndex = job.columns().keyIndex();
        this.first = source.prepareStatement(select(false));
        this.next = source.prepareStatement(select(true));
        this.upsert = target.prepareStatement(
                job.to().upsert(job.targetTable(), job.columns().target(), job.columns().targetKey()));
        this.binaryKey = job.from().binaryColumns(source, job.source(), job.columns().sourceKey());
    }

    @Override
    public Chunk writeNext(List<String> afterKey, int limit) throws SQLException {
        Rows rows = read(afterKey, limit);
        source.commit();
        if (rows.values().isEmpty()) {
            return Chunk.NONE;
        }
        for (Object[] row : rows.values()) {
            for (int c = 0; c < row.length; c++) {
                job.to().bindValue(upsert, c + 1, row[c]);
            }
            upsert.addBatch();
        }
        upsert.executeBatch();
        return new Chunk(rows.values().size(), rows.firstKey(), rows.lastKey());
    }

    /** A chunk's rows as {@link Dialect#readValue} read them, and its first and last key. */
    private record Rows(List<Object[]> values, List<String> firstKey, List<String> lastKey) {
    }

    private String select(boolean afterLastKey) {
        return select(afterLastKey, job.chunkRows());
    }

    private String select(boolean afterLastKey, int rows) {
        return job.from().keysetChunk(job.source(), job.columns().source(), job.columns().sourceKey(),
                new KeysetBounds(afterLastKey, range.from() != null, range.to() != null), rows);
    }

    /** A chunk of the copy's own size through the prepared statements; a throttled size through one of its own. */
    private Rows read(List<String> afterKey, int limit) throws SQLException {
        if (limit == job.chunkRows()) {
            return read(afterKey == null ? first : next, afterKey);
        }
        try (PreparedStatement select = source.prepareStatement(select(afterKey != null, limit))) {
            return read(select, afterKey);
        }
    }

    private Rows read(PreparedStatement select, List<String> afterKey) throws SQLException {
        int i = 1;
        if (afterKey != null) {
            i = job.from().bindKeyArguments(select, i, afterKey, binaryKey);
        }
        if (range.from() != null) {
            select.setLong(i++, range.from());
        }
        if (range.to() != null) {
            select.setLong(i, range.to());
        }
        int width = job.columns().source().size();
        List<Object[]> rows = new ArrayList<>();
        List<String> firstKey = null;
        List<String> lastKey = null;
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                Object[] row = new Object[width];
                for (int c = 0; c < width; c++) {
                    row[c] = job.from().readValue(rs, c + 1);
                }
                rows.add(row);
                lastKey = key(rs);
                if (firstKey == null) {
                    firstKey = lastKey;
                }
            }
        }
        return new Rows(rows, firstKey, lastKey);
    }

    private List<String> key(ResultSet rs) throws SQLException {
        List<String> key = new ArrayList<>(keyIndex.length);
        for (int index : keyIndex) {
            key.add(job.from().readKey(rs, index + 1));
        }
        return key;
    }

    @Override
    public void close() throws SQLException {
        try (first; next; upsert) {
            // closes all three, the first failure thrown with the others suppressed
        }
    }
}
