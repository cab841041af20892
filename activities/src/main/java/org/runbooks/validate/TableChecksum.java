package org.runbooks.validate;

import org.runbooks.jdbc.dialect.Dialect;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;

/**
 * A SHA-256 over the given columns of every row in key order, streamed with a bounded fetch size. Values are hashed
 * as the database renders them as text, so both sides must agree on column types.
 */
final class TableChecksum {

    /** Rows fetched per round trip while streaming a checksum: 5,000. */
    static final int FETCH_SIZE = 5_000;

    private TableChecksum() {
    }

    static String of(Connection connection, Dialect dialect, String table, List<String> columns, List<String> key)
            throws SQLException {
        return of(connection, dialect, table, columns, key, InFlightRows.NONE);
    }

    /** The same, leaving out the rows {@code inFlight} says are still in flight. */
    static String of(Connection connection, Dialect dialect, String table, List<String> columns, List<String> key,
                     InFlightRows inFlight) throws SQLException {
        MessageDigest digest = sha256();
        boolean[] binary = inFlight.binary(connection, dialect, table);
        String sql = "select " + dialect.columnList(columns) + " from " + dialect.quoteTable(table)
                + " where 1 = 1" + inFlight.and(dialect) + " order by " + dialect.columnList(key);
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setFetchSize(FETCH_SIZE);
            inFlight.bind(dialect, st, 1, binary);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    for (int i = 1; i <= columns.size(); i++) {
                        update(digest, rs.getString(i));
                    }
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Null is a tag of its own and a value carries its length, so no text can hash like null or like a value moved
     * across a column boundary (a separator byte could occur in the text itself).
     */
    private static void update(MessageDigest digest, String value) {
        if (value == null) {
            digest.update((byte) 0);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digest.update((byte) 1);
        digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
