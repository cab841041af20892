package org.runbooks.activities;

import org.runbooks.activity.ValidationActivities;
import org.runbooks.activity.ValidationReport;
import org.runbooks.connect.ConnectionRegistry;
import org.runbooks.dialect.Dialect;
import org.runbooks.model.TableRef;
import org.runbooks.model.ValidateStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;

/**
 * Row counts, and a SHA-256 over every common column of every row in key order, each side streamed with a bounded
 * fetch size. Values are hashed as the database renders them as text, so both sides must agree on column types.
 */
public class ValidationActivitiesImpl implements ValidationActivities {

    private static final Logger log = LoggerFactory.getLogger(ValidationActivitiesImpl.class);

    /** Rows fetched per round trip while streaming a checksum: 5,000. */
    static final int FETCH_SIZE = 5_000;

    private final ConnectionRegistry connections;

    public ValidationActivitiesImpl(ConnectionRegistry connections) {
        this.connections = connections;
    }

    @Override
    public ValidationReport compare(ValidateStep step) {
        try (Connection source = connections.open(step.source().connection());
             Connection target = connections.open(step.target().connection())) {
            Dialect from = connections.dialect(step.source().connection());
            Dialect to = connections.dialect(step.target().connection());
            long sourceRows = Tables.count(source, from, step.source().table());
            long targetRows = Tables.count(target, to, step.target().table());
            String sourceSum = null;
            String targetSum = null;
            if (step.checksum()) {
                List<String> sourceColumns = Tables.columns(source, from, step.source().table());
                List<String> targetColumns = Tables.columns(target, to, step.target().table());
                List<String> common = sourceColumns.stream().filter(targetColumns::contains).toList();
                sourceSum = checksum(source, from, step.source(), common, step.key());
                targetSum = checksum(target, to, step.target(), common, step.key());
            }
            boolean countsAgree = Math.abs(sourceRows - targetRows) <= step.rowCountTolerance();
            boolean sumsAgree = sourceSum == null || sourceSum.equals(targetSum);
            String detail = detail(step, sourceRows, targetRows, countsAgree, sumsAgree);
            log.info("step={} {}", step.id(), detail);
            return new ValidationReport(step.id(), sourceRows, targetRows, sourceSum, targetSum,
                    countsAgree && sumsAgree, detail);
        } catch (Exception e) {
            throw Failures.of(e);
        }
    }

    private static String detail(ValidateStep step, long sourceRows, long targetRows, boolean countsAgree,
                                 boolean sumsAgree) {
        StringBuilder detail = new StringBuilder();
        detail.append(countsAgree ? "row counts agree" : "row counts differ").append(" (source ").append(sourceRows)
                .append(", target ").append(targetRows).append(", tolerance ").append(step.rowCountTolerance())
                .append(")");
        if (step.checksum()) {
            detail.append(sumsAgree ? "; checksums equal" : "; checksums differ");
        }
        return detail.toString();
    }

    private static String checksum(Connection connection, Dialect dialect, TableRef table, List<String> columns,
                                   List<String> key) throws SQLException {
        MessageDigest digest = sha256();
        String sql = "select " + dialect.columnList(columns) + " from " + dialect.quoteTable(table.table())
                + " order by " + dialect.columnList(key);
        try (Statement st = connection.createStatement()) {
            st.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    for (int i = 1; i <= columns.size(); i++) {
                        update(digest, rs.getString(i));
                    }
                }
            }
        }
        connection.commit();
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
