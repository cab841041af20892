package org.runbooks.validate;

import org.runbooks.jdbc.dialect.Dialect;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/**
 * The keys {@code k} with {@code after < k <= upTo}, in the key's own order, each bound a key as text (null: open).
 * Open below and closed above, so that intervals cut at the same keys never share a key and miss none.
 */
record KeyInterval(List<String> after, List<String> upTo) {

    /** Every key. */
    static final KeyInterval ALL = new KeyInterval(null, null);

    /** The part up to and including {@code key}. */
    KeyInterval upTo(List<String> key) {
        return new KeyInterval(after, key);
    }

    /** The part after {@code key}. */
    KeyInterval after(List<String> key) {
        return new KeyInterval(key, upTo);
    }

    /** The SQL condition, with a placeholder per bound value, in {@link #bind}'s order. */
    String condition(Dialect dialect, List<String> key) {
        return dialect.keyInterval(key, after != null, upTo != null);
    }

    /**
     * Binds the bounds from parameter {@code index} on, a value of a key column that {@code binary} marks as its
     * bytes; returns the next free index.
     */
    int bind(Dialect dialect, PreparedStatement statement, int index, boolean[] binary) throws SQLException {
        for (List<String> bound : Arrays.asList(after, upTo)) {
            if (bound != null) {
                index = dialect.bindKeyArguments(statement, index, bound, binary);
            }
        }
        return index;
    }

    @Override
    public String toString() {
        return "(" + (after == null ? "-inf" : after) + ", " + (upTo == null ? "+inf" : upTo) + "]";
    }
}
