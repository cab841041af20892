package org.runbooks.activities;

import org.runbooks.dialect.KeysetBounds;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The portable way to move a chunk: read it with a keyset query into memory (one chunk, {@code chunkRows} rows at
 * most), then write it as one JDBC batch of upserts. Works between any two databases a dialect exists for.
 */
final class UpsertChunkWriter implements ChunkWriter {

    private final CopyJob job;
    private final KeyRange range;
    private final Connection source;
    private final int[] keyIndex;
    private final PreparedStatement first;
    private final PreparedStatement next;
    private final PreparedStatement upsert;

    UpsertChunkWriter(CopyJob job, KeyRange range, Connection source, Connection target) throws SQLException {
        this.job = job;
        this.range = range;
        this.source = source;
        this.keyIndex = job.columns().keyIndex();
        this.first = source.prepareStatement(select(false));
        this.next = source.prepareStatement(select(true));
        this.upsert = target.prepareStatement(
                job.to().upsert(job.targetTable(), job.columns().target(), job.columns().targetKey()));
    }

    @Override
    public Chunk writeNext(List<String> afterKey) throws SQLException {
        List<Object[]> rows = read(afterKey);
        source.commit();
        if (rows.isEmpty()) {
            return Chunk.NONE;
        }
        for (Object[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                job.to().bindValue(upsert, c + 1, row[c]);
            }
            upsert.addBatch();
        }
        upsert.executeBatch();
        return new Chunk(rows.size(), key(rows.get(0)), key(rows.get(rows.size() - 1)));
    }

    private String select(boolean afterLastKey) {
        return job.from().keysetChunk(job.source(), job.columns().source(), job.columns().sourceKey(),
                new KeysetBounds(afterLastKey, range.from() != null, range.to() != null), job.chunkRows());
    }

    private List<Object[]> read(List<String> afterKey) throws SQLException {
        PreparedStatement select = afterKey == null ? first : next;
        int i = 1;
        if (afterKey != null) {
            for (String value : afterKey) {
                job.from().bindKey(select, i++, value);
            }
        }
        if (range.from() != null) {
            select.setLong(i++, range.from());
        }
        if (range.to() != null) {
            select.setLong(i, range.to());
        }
        int width = job.columns().source().size();
        List<Object[]> rows = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                Object[] row = new Object[width];
                for (int c = 0; c < width; c++) {
                    row[c] = job.from().readValue(rs, c + 1);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private List<String> key(Object[] row) {
        List<String> key = new ArrayList<>(keyIndex.length);
        for (int index : keyIndex) {
            key.add(String.valueOf(row[index]));
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
