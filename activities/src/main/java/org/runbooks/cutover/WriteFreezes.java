package org.runbooks.cutover;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;

/**
 * How one database freezes and thaws the application's writes to some tables with triggers (see
 * {@link CutoverActivities#freezeWrites}): one implementation per database, named for it.
 */
interface WriteFreezes {

    /** What {@link #freeze} did: what it installed and which transactions it waited for. */
    record Installed(List<String> installed, List<String> waitedFor) {
    }

    /**
     * Installs the freeze's triggers on every table that lacks them, all or none, waiting up to
     * {@code lockTimeoutMillis} (0: the connection's) for transactions writing the tables; commits.
     *
     * @throws FreezeBlockedException when the wait ran out; nothing is left installed
     */
    Installed freeze(Connection c, String freezeId, List<String> tables, long lockTimeoutMillis) throws SQLException;

    /** Removes whatever the freeze installed, wherever it is; commits; says what it removed. */
    List<String> thaw(Connection c, String freezeId) throws SQLException;

    /** A short hash of {@code text}: 10 hex digits, what tells one freeze's objects from another's. */
    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The freeze could not take hold within its lock timeout: says which transactions held the tables. */
    final class FreezeBlockedException extends RuntimeException {

        static final String TYPE = "FreezeBlocked";

        FreezeBlockedException(String message) {
            super(message);
        }
    }
}
