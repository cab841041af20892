package org.runbooks.backfill.pgcopy;

import org.runbooks.api.CopyRange;
import org.runbooks.jdbc.dialect.PostgresDialect;

import java.util.ArrayList;
import java.util.List;

/**
 * The condition that selects one chunk's keys within a key range, with its bounds written in as literals, for the
 * statements that take no parameters ({@code COPY}) and for the target's emptiness probe: {@code (<key>) >
 * (<after>) and (<key>) <= (<up to>) and <leading key> >= <range from> and <leading key> < <range to>}, each part
 * only when its bound is known. A key value is a quoted literal of unknown type, so PostgreSQL reads it as the key
 * column's type, and a row comparison of the key columns can use their index.
 */
final class PgKeyInterval {

    private PgKeyInterval() {
    }

    /**
     * @param key     the key columns, as the side the condition runs on names them (the leading one is the range's)
     * @param afterKey the last key already copied (exclusive), or null at the range's start
     * @param upTo    the chunk's last key (inclusive), or null for no upper key bound
     */
    static String of(PostgresDialect dialect, List<String> key, CopyRange range, List<String> afterKey,
                     List<String> upTo) {
        List<String> conditions = new ArrayList<>();
        String row = "(" + dialect.columnList(key) + ")";
        if (afterKey != null) {
            conditions.add(row + " > " + literals(dialect, key, afterKey));
        }
        if (upTo != null) {
            conditions.add(row + " <= " + literals(dialect, key, upTo));
        }
        String leading = dialect.quote(key.get(0));
        if (range.from() != null) {
            conditions.add(leading + " >= " + range.from());
        }
        if (range.to() != null) {
            conditions.add(leading + " < " + range.to());
        }
        return conditions.isEmpty() ? "true" : String.join(" and ", conditions);
    }

    private static String literals(PostgresDialect dialect, List<String> key, List<String> values) {
        if (values.size() != key.size()) {
            throw new IllegalArgumentException("key value " + values + " has " + values.size() + " values for key "
                    + key);
        }
        return "(" + String.join(", ", values.stream().map(dialect::literal).toList()) + ")";
    }
}
