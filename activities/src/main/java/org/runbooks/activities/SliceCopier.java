package org.runbooks.activities;

import org.runbooks.connect.ConnectionRegistry;
import org.runbooks.dialect.KeysetBounds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Copies one key range in keyset chunks, on connections of its own, from where its progress row says it stopped.
 * Each chunk is an upsert committed in one transaction with the range's progress and the chunk's audit row, so a
 * kill at any point leaves either the whole chunk and its checkpoint, or neither. The source is read in read-only
 * transactions. Returns the range's progress when it has copied every row, or when the copy is stopped.
 */
final class SliceCopier implements Callable<CopyProgress> {

    private static final Logger log = LoggerFactory.getLogger(SliceCopier.class);

    private final ConnectionRegistry connections;
    private final CopyJob job;
    private final KeyRange range;
    private final CopyControl control;
    private final int[] keyIndex;
    private CopyProgress progress;

    SliceCopier(ConnectionRegistry connections, CopyJob job, KeyRange range, CopyProgress resumed, CopyControl control) {
        this.connections = connections;
        this.job = job;
        this.range = range;
        this.progress = resumed;
        this.control = control;
        this.keyIndex = job.columns().keyIndex();
    }

    @Override
    public CopyProgress call() throws Exception {
        try (Connection source = connections.open(job.sourceConnection());
             Connection target = connections.open(job.targetConnection())) {
            source.setReadOnly(true);
            try (PreparedStatement first = source.prepareStatement(select(false));
                 PreparedStatement next = source.prepareStatement(select(true));
                 PreparedStatement upsert = target.prepareStatement(
                         job.to().upsert(job.targetTable(), job.columns().target(), job.columns().targetKey()))) {
                while (!control.stopped()) {
                    long began = System.nanoTime();
                    List<Object[]> rows = read(progress.lastKey() == null ? first : next);
                    source.commit();
                    if (rows.isEmpty()) {
                        break;
                    }
                    progress = write(target, upsert, rows);
                    control.chunkCommitted(range, progress);
                    control.chunkTimed(rows.size(), System.nanoTime() - began);
                    log.debug("{} range {} chunk {} done, {} rows so far", job.log(), range, progress.chunks(),
                            progress.rowsCopied());
                    control.pace(rows.size());
                }
            }
        }
        return progress;
    }

    private String select(boolean afterLastKey) {
        return job.from().keysetChunk(job.source(), job.columns().source(), job.columns().sourceKey(),
                new KeysetBounds(afterLastKey, range.from() != null, range.to() != null), job.chunkRows());
    }

    private List<Object[]> read(PreparedStatement select) throws SQLException {
        int i = 1;
        if (progress.lastKey() != null) {
            for (String value : progress.lastKey()) {
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
                    row[c] = rs.getObject(c + 1);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private CopyProgress write(Connection target, PreparedStatement upsert, List<Object[]> rows) throws Exception {
        try {
            for (Object[] row : rows) {
                for (int c = 0; c < row.length; c++) {
                    upsert.setObject(c + 1, row[c]);
                }
                upsert.addBatch();
            }
            upsert.executeBatch();
            CopyProgress after = CopyProgressStore.chunkWritten(target, progress, key(rows.get(0)),
                    key(rows.get(rows.size() - 1)), rows.size());
            target.commit();
            return after;
        } catch (Exception e) {
            target.rollback();
            throw e;
        }
    }

    private List<String> key(Object[] row) {
        List<String> key = new ArrayList<>(keyIndex.length);
        for (int index : keyIndex) {
            key.add(String.valueOf(row[index]));
        }
        return key;
    }
}
