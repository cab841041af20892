package org.runbooks.backfill.pgcopy;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOperation;
import org.postgresql.copy.CopyOut;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Streams one {@code COPY (...) TO STDOUT} on the source into one {@code COPY ... FROM STDIN} on the target, so a
 * chunk is never held whole in the worker. Both copy paths ({@link PgDirectCopy} into the table, {@link PgStagedCopy}
 * into the staging table) go through it, so they read and write the same bytes.
 *
 * <p>The source sends one message per row; the rows are gathered into {@value #PUMP_BYTES}-byte messages to the
 * target, as {@code psql} does, so the target parses few large messages, not one per row. The loop works on the
 * driver's {@link CopyOut} and {@link CopyIn} directly rather than through an {@code InputStream} adapter, which
 * copied every row once more and asked the driver for each row through one more layer. It also keeps the chunk's
 * first and last messages ({@link Pumped}), from which {@link PgCopyRowKey} reads the chunk's first and last key
 * without a query of their own.
 */
final class PgCopyPump {

    /** Bytes gathered from the source's row messages into each message to the target: 64 KiB. */
    private static final int PUMP_BYTES = 65_536;

    /**
     * What one pump moved: the rows the target took, and the source's first message and last two (the binary format
     * ends with a trailer message after the last row), each null when the source sent fewer.
     */
    record Pumped(long rows, byte[] first, byte[] beforeLast, byte[] last) {
    }

    private final Connection source;
    private final CopyManager from;
    private final CopyManager into;
    private final byte[] buffer = new byte[PUMP_BYTES];

    PgCopyPump(Connection source, Connection target) throws SQLException {
        this.source = source;
        this.from = source.unwrap(PGConnection.class).getCopyAPI();
        this.into = target.unwrap(PGConnection.class).getCopyAPI();
    }

    /**
     * Runs {@code copyOut} on the source into {@code copyIn} on the target. The source's transaction is left open for
     * the caller to end; on a failure both copies are cancelled if still running, the source's transaction is rolled
     * back, and the failure is thrown.
     */
    Pumped pump(String copyOut, String copyIn) throws SQLException {
        CopyOut out = null;
        CopyIn in = null;
        try {
            out = from.copyOut(copyOut);
            in = into.copyIn(copyIn);
            byte[] first = null;
            byte[] beforeLast = null;
            byte[] last = null;
            int filled = 0;
            byte[] row;
            while ((row = out.readFromCopy()) != null) {
                if (first == null) {
                    first = row;
                }
                beforeLast = last;
                last = row;
                if (filled + row.length > buffer.length) {
                    in.writeToCopy(buffer, 0, filled);
                    filled = 0;
                }
                if (row.length >= buffer.length) {
                    in.writeToCopy(row, 0, row.length);
                } else {
                    System.arraycopy(row, 0, buffer, filled, row.length);
                    filled += row.length;
                }
            }
            if (filled > 0) {
                in.writeToCopy(buffer, 0, filled);
            }
            return new Pumped(in.endCopy(), first, beforeLast, last);
        } catch (SQLException | RuntimeException e) {
            cancel(in, e);
            cancel(out, e);
            try {
                source.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
    }

    private static void cancel(CopyOperation copy, Exception failure) {
        if (copy != null && copy.isActive()) {
            try {
                copy.cancelCopy();
            } catch (SQLException e) {
                failure.addSuppressed(e);
            }
        }
    }

    /** Ends the source's read-only transaction once its part of a chunk is read. */
    void endRead() throws SQLException {
        source.commit();
    }
}
