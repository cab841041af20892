package org.runbooks.validate;

import org.runbooks.jdbc.ReadOnlyQueries;
import org.runbooks.jdbc.dialect.Dialect;
import org.runbooks.jdbc.dialect.Relation;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one side of a comparison over key intervals, each read in a read-only transaction of its own: an interval's
 * {@link RangeChecksum}, the key at a given position or an integer key's span (to cut intervals), and, for small
 * intervals only, the keys themselves or each row's hash. Counting and hashing happen in the database; no row crosses the network.
 */
final class RangeReader {

    private static final Set<Integer> INTEGER_TYPES = Set.of(Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT);

    private final ReadOnlyQueries queries;
    private final String connection;
    private final String table;
    private final List<String> columns;
    private final List<String> key;
    private final InFlightRows inFlight;
    private final String rowHash;
    private volatile boolean[] binary;

    RangeReader(ReadOnlyQueries queries, String connection, String table, List<String> columns, List<String> key) {
        this(queries, connection, table, columns, key, InFlightRows.NONE);
    }

    /** A side that leaves out the rows {@code inFlight} says are still in flight, in every question it answers. */
    RangeReader(ReadOnlyQueries queries, String connection, String table, List<String> columns, List<String> key,
                InFlightRows inFlight) {
        this(queries, connection, table, columns, key, inFlight, null);
    }

    /**
     * @param rowHash the row hash both sides compute ({@link PgRowHash}); null: the dialect's
     *                {@link Dialect#rowHash} of {@code columns}
     */
    RangeReader(ReadOnlyQueries queries, String connection, String table, List<String> columns, List<String> key,
                InFlightRows inFlight, String rowHash) {
        this.queries = queries;
        this.connection = connection;
        this.table = table;
        this.columns = columns;
        this.key = key;
        this.inFlight = inFlight;
        this.rowHash = rowHash;
    }

    /**
     * Which key columns hold bytes, whose keys are bound from their hex: asked once, with an empty query, on the
     * first read that binds a key.
     */
    private boolean[] binary(Connection c, Dialect d) throws SQLException {
        boolean[] known = binary;
        if (known == null) {
            known = d.binaryColumns(c, Relation.table(table), key);
            binary = known;
        }
        return known;
    }

    private String rowHash(Dialect dialect) {
        return rowHash != null ? rowHash : dialect.rowHash(columns);
    }

    /** {@code select count(*), sum(<row hash>) from <table> where <interval>}. */
    RangeChecksum checksum(KeyInterval interval) throws SQLException {
        return queries.read(connection, (c, d) -> {
            String sql = "select count(*), coalesce(sum(" + rowHash(d) + "), 0) from " + d.quoteTable(table)
                    + " where " + interval.condition(d, key) + inFlight.and(d);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                inFlight.bind(d, ps, interval.bind(d, ps, 1, binary(c, d)), binary(c, d));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new RangeChecksum(rs.getLong(1), rs.getBigDecimal(2).toBigIntegerExact());
                }
            }
        });
    }

    /**
     * The rows no key interval holds, because a key column is NULL in them: {@code key > ?} is never true of NULL.
     * Nothing is read when every key column is declared NOT NULL. No row of them is in flight (a lag window leaves
     * out keys, and they have none), so the window does not apply.
     */
    RangeChecksum nullKeys() throws SQLException {
        return queries.read(connection, (c, d) -> {
            if (!nullable(c, d)) {
                return new RangeChecksum(0, BigInteger.ZERO);
            }
            String sql = "select count(*), coalesce(sum(" + rowHash(d) + "), 0) from " + d.quoteTable(table)
                    + " where " + String.join(" or ", key.stream().map(k -> d.quote(k) + " is null").toList());
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return new RangeChecksum(rs.getLong(1), rs.getBigDecimal(2).toBigIntegerExact());
            }
        });
    }

    /** True unless the database says every key column is NOT NULL. */
    private boolean nullable(Connection c, Dialect d) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(d.noRows(Relation.table(table)))) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                if (key.contains(meta.getColumnLabel(i))
                        && meta.isNullable(i) != ResultSetMetaData.columnNoNulls) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * The smallest and largest key when the key is a single integer column and the table has rows; empty otherwise.
     * Counts every row, in flight or not: it only says where segments are cut.
     */
    Optional<IntegerKeyEnds.Span> integerKeySpan() throws SQLException {
        if (key.size() != 1) {
            return Optional.empty();
        }
        return queries.read(connection, (c, d) -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery(d.keySpan(Relation.table(table), key.get(0)))) {
                rs.next();
                // The type first: MariaDB's driver fails to read a varbinary (or text) minimum as a number.
                if (!INTEGER_TYPES.contains(rs.getMetaData().getColumnType(1))) {
                    return Optional.empty();
                }
                long min = rs.getLong(1);
                if (rs.wasNull()) {
                    return Optional.empty();
                }
                return Optional.of(new IntegerKeyEnds.Span(min, rs.getLong(2)));
            }
        });
    }

    /** The key at 0-based {@code offset} in the interval, in key order; null when the interval has fewer rows. */
    List<String> keyAt(KeyInterval interval, long offset) throws SQLException {
        List<List<String>> keys = keys(interval, offset, 1);
        return keys.isEmpty() ? null : keys.get(0);
    }

    /** Up to {@code limit} keys of the interval, in key order. */
    List<List<String>> keys(KeyInterval interval, long limit) throws SQLException {
        return keys(interval, 0, limit);
    }

    /** Each key of the interval with its row's hash, in key order; for intervals small enough to list. */
    Map<List<String>, Long> rowHashes(KeyInterval interval) throws SQLException {
        return queries.read(connection, (c, d) -> {
            String sql = "select " + textKey(d) + ", " + rowHash(d) + " from " + d.quoteTable(table)
                    + " where " + interval.condition(d, key) + inFlight.and(d) + " order by " + d.columnList(key);
            Map<List<String>, Long> hashes = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                inFlight.bind(d, ps, interval.bind(d, ps, 1, binary(c, d)), binary(c, d));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        hashes.put(key(d, rs), rs.getLong(key.size() + 1));
                    }
                }
            }
            return hashes;
        });
    }

    private List<List<String>> keys(KeyInterval interval, long offset, long limit) throws SQLException {
        return queries.read(connection, (c, d) -> {
            String sql = "select " + textKey(d) + " from " + d.quoteTable(table) + " where "
                    + interval.condition(d, key) + inFlight.and(d) + " order by " + d.columnList(key)
                    + " limit ? offset ?";
            List<List<String>> keys = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int next = inFlight.bind(d, ps, interval.bind(d, ps, 1, binary(c, d)), binary(c, d));
                ps.setLong(next, limit);
                ps.setLong(next + 1, offset);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(key(d, rs));
                    }
                }
            }
            return keys;
        });
    }

    /** The key columns; read back as the database renders them as text, as checkpoints and reports carry keys. */
    private String textKey(Dialect dialect) {
        return dialect.columnList(key);
    }

    private List<String> key(Dialect dialect, ResultSet rs) throws SQLException {
        List<String> values = new ArrayList<>(key.size());
        for (int i = 1; i <= key.size(); i++) {
            values.add(dialect.readKey(rs, i));
        }
        return values;
    }
}
