package org.runbooks.backfill.pgcopy;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.PGCopyInputStream;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Streams one {@code COPY (...) TO STDOUT} on the source into one {@code COPY ... FROM STDIN} on the target, 64 KiB
 * at a time, so a chunk is never held whole in the worker. Both copy paths ({@link PgDirectCopy} into the table,
 * {@link PgStagedCopy} into the staging table) go through it, so they read and write the same bytes.
 */
final class PgCopyPump {

    /** Bytes pumped from the source's COPY into the target's per write: 64 KiB. */
    private static final int PUMP_BYTES = 65_536;

    private final Connection source;
    private final CopyManager into;

    PgCopyPump(Connection source, Connection target) throws SQLException {
        this.source = source;
        this.into = target.unwrap(PGConnection.class).getCopyAPI();
    }

    /**
     * Runs {@code copyOut} on the source into {@code copyIn} on the target and returns the rows the target took.
     * The source's transaction is left open for the caller to end; on a failure it is rolled back (closing the
     * stream cancels a source COPY the target stopped reading), and the failure is thrown.
     */
    long pump(String copyOut, String copyIn) throws SQLException, IOException {
        try (PGCopyInputStream rows = new PGCopyInputStream(source.unwrap(PGConnection.class), copyOut)) {
            return into.copyIn(copyIn, rows, PUMP_BYTES);
        } catch (SQLException | IOException | RuntimeException e) {
            try {
                source.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
    }

    /** Ends the source's read-only transaction once its part of a chunk is read. */
    void endRead() throws SQLException {
        source.commit();
    }
}
