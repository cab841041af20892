package org.runbooks.validate;

import io.temporal.failure.ApplicationFailure;
import org.runbooks.jdbc.ReadOnlyQueries;
import org.runbooks.jdbc.dialect.Dialect;
import org.runbooks.jdbc.dialect.Relation;
import org.runbooks.model.LagWindow;
import org.runbooks.model.TableRef;
import org.runbooks.model.ValidateStep;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The rows a table comparison leaves out because a validate step's {@code lagWindow} says they are still in flight.
 * Each database picks its own rows changed within the window, by its own clock ({@link Dialect#changedWithin}): a
 * cutoff computed in the worker and bound as a parameter would meet a {@code timestamp} column in some session's
 * time zone, hours off. A key whose row changed within the window on either side is in flight, and is left out on
 * <em>both</em> sides (a row just updated on the source still has its old timestamp on the target, and must not show
 * up there as a difference either). Both sides and every interval use the same keys, read once per comparison, so a
 * row cannot slip in or out between two queries of one comparison. {@link #NONE} leaves nothing out.
 *
 * @param column the timestamp column, null for {@link #NONE}
 * @param window rows with the column within this of their database's now are in flight
 * @param key    the key columns
 * @param keys   the keys in flight on either side, as text
 */
record InFlightRows(String column, Duration window, List<String> key, List<List<String>> keys) {

    /**
     * Most keys a lag window leaves out: 1,000. Each one is sent with every range query; more rows than that changed
     * within the window means it is too wide for the write rate, or the target is far behind.
     */
    static final int MAX_KEYS = 1_000;

    /** Non-retryable: more rows are in flight than a comparison can leave out. */
    static final String TOO_MANY = "TooManyRowsInFlight";

    static final InFlightRows NONE = new InFlightRows(null, null, List.of(), List.of());

    /** What {@code step}'s window leaves out now; {@link #NONE} without a lag window. */
    static InFlightRows of(ReadOnlyQueries queries, ValidateStep step) throws SQLException {
        LagWindow window = step.lagWindow();
        if (window == null) {
            return NONE;
        }
        Set<List<String>> keys = new LinkedHashSet<>();
        for (TableRef side : List.of(step.source(), step.target())) {
            keys.addAll(queries.read(side.connection(), (c, d) -> recent(c, d, side.table(), step.key(),
                    window.column(), window.duration())));
            if (keys.size() > MAX_KEYS) {
                throw ApplicationFailure.newNonRetryableFailure("more than " + MAX_KEYS + " rows of " + step.source()
                        + " and " + step.target() + " have " + window.column() + " within " + window.duration()
                        + " of now, more than a lag window leaves out; shorten it, or validate when writes are"
                        + " quieter", TOO_MANY);
            }
        }
        return new InFlightRows(window.column(), window.duration(), step.key(), List.copyOf(keys));
    }

    private static List<List<String>> recent(Connection c, Dialect d, String table, List<String> key, String column,
                                             Duration window) throws SQLException {
        String sql = "select " + d.columnList(key) + " from " + d.quoteTable(table) + " where "
                + d.changedWithin(column, window) + " order by " + d.columnList(key) + " limit " + (MAX_KEYS + 1);
        List<List<String>> keys = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> values = new ArrayList<>(key.size());
                    for (int i = 1; i <= key.size(); i++) {
                        values.add(d.readKey(rs, i));
                    }
                    keys.add(values);
                }
            }
        }
        return keys;
    }

    /** {@code and not (("a", "b") in ((?, ?), ...))}, or nothing when no key is in flight; binds with {@link #bind}. */
    String and(Dialect dialect) {
        if (keys.isEmpty()) {
            return "";
        }
        String one = key.size() == 1 ? "?" : "(" + String.join(", ", Collections.nCopies(key.size(), "?")) + ")";
        String row = key.size() == 1 ? dialect.quote(key.get(0)) : "(" + dialect.columnList(key) + ")";
        return " and not (" + row + " in (" + String.join(", ", Collections.nCopies(keys.size(), one)) + "))";
    }

    /**
     * Binds the keys in flight from {@code index} on, a value of a key column that {@code binary} marks as its
     * bytes; returns the next free index.
     */
    int bind(Dialect dialect, PreparedStatement statement, int index, boolean[] binary) throws SQLException {
        for (List<String> k : keys) {
            for (int i = 0; i < k.size(); i++) {
                dialect.bindKey(statement, index++, k.get(i), binary[i]);
            }
        }
        return index;
    }

    /** Which key columns of {@code table} hold bytes ({@link Dialect#binaryColumns}); not asked when none is in flight. */
    boolean[] binary(Connection connection, Dialect dialect, String table) throws SQLException {
        return keys.isEmpty() ? new boolean[key.size()]
                : dialect.binaryColumns(connection, Relation.table(table), key);
    }

    /** The table's rows that are not in flight. */
    long count(Connection connection, Dialect dialect, String table) throws SQLException {
        boolean[] binary = binary(connection, dialect, table);
        try (PreparedStatement ps = connection.prepareStatement("select count(*) from " + dialect.quoteTable(table)
                + " where 1 = 1" + and(dialect))) {
            bind(dialect, ps, 1, binary);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** {@code 2 key(s) with updated_at after now - PT5M (in flight) left out on both sides}; empty without a window. */
    String describe() {
        return column == null ? "" : keys.size() + " key(s) with " + column + " after now - " + window
                + " (in flight) left out on both sides";
    }

    /** Whether the tables hold rows, all of them in flight, so that a comparison that counted these compared none. */
    boolean leftOutEveryRow(long sourceRows, long targetRows) {
        return sourceRows == 0 && targetRows == 0 && !keys.isEmpty();
    }
}
