package org.runbooks.validate;

import org.runbooks.jdbc.ReadOnlyQueries;
import org.runbooks.jdbc.dialect.PostgresDialect;
import org.runbooks.model.TableRef;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The row hash two PostgreSQL tables are compared by, chosen for the pair of types each column has on the two sides.
 * Rendering a row as text ({@link PostgresDialect#rowHash}) costs most of a checksum: a {@code timestamptz} or a
 * {@code numeric} is formatted for every row. A column whose type has a built-in 64-bit hash that means the same in
 * every database is hashed as it is stored instead, with its position as the seed; the other columns (enums, whose
 * hash is their OID; user types; floats, whose hash equates 0 and -0; a pair of different types) are hashed together
 * as their row's text, as before. The parts are combined with XOR, so two rows that swap a value still change the
 * sum. Equal means:
 * <ul>
 *   <li>integers of any width, as numbers; {@code text} and {@code varchar}, as bytes (collation {@code "C"}, so a
 *       case-insensitive collation cannot hide a change); {@code char(n)} as bytes without its trailing blanks;</li>
 *   <li>{@code numeric} by value: {@code 1.50} equals {@code 1.5}, as {@code =} says (the text would differ);</li>
 *   <li>{@code timestamptz} as the same instant; {@code timestamp}, {@code time}, {@code uuid}, {@code boolean},
 *       {@code jsonb} as the same value.</li>
 * </ul>
 * Both sides run the same expression (each naming its own columns, where the backfill renamed one), so it must be
 * chosen once per comparison, from both sides' types.
 */
final class PgRowHash {

    private static final Set<String> INTEGERS = Set.of("int2", "int4", "int8");
    private static final Set<String> STRINGS = Set.of("text", "varchar");
    /** Types hashed by their own function when both sides have that type; {@code %1$s} is the column, {@code %2$d} the seed. */
    private static final Map<String, String> SAME_TYPE = Map.of(
            "bpchar", "hashbpcharextended(%1$s collate \"C\", %2$d)",
            "numeric", "hash_numeric_extended(%1$s, %2$d)",
            "timestamp", "timestamp_hash_extended(%1$s, %2$d)",
            "timestamptz", "timestamp_hash_extended(%1$s at time zone 'UTC', %2$d)",
            "time", "time_hash_extended(%1$s, %2$d)",
            "uuid", "uuid_hash_extended(%1$s, %2$d)",
            "bool", "hashint4extended(%1$s::int4, %2$d)",
            "jsonb", "jsonb_hash_extended(%1$s, %2$d)");

    private PgRowHash() {
    }

    /** The expression each side computes: the same hashes of the same pairs, each side naming its own columns. */
    record BothSides(String source, String target) {
    }

    /** The expressions for {@code columns} of {@code source} and {@code target}, read from both sides' types. */
    static BothSides forTables(ReadOnlyQueries queries, TableRef source, TableRef target, ComparedColumns columns)
            throws SQLException {
        PostgresDialect dialect = (PostgresDialect) queries.dialect(source.connection());
        Map<String, String> sourceTypes = queries.read(source.connection(), (c, d) -> typeNames(c, d, source.table()));
        Map<String, String> targetTypes = queries.read(target.connection(), (c, d) -> typeNames(c, d, target.table()));
        return new BothSides(
                expression(dialect, columns.source(), columns.source(), columns.target(), sourceTypes, targetTypes),
                expression(dialect, columns.target(), columns.source(), columns.target(), sourceTypes, targetTypes));
    }

    /** The expression for columns of the same name on both sides. */
    static String expression(PostgresDialect dialect, List<String> columns, Map<String, String> sourceTypes,
                             Map<String, String> targetTypes) {
        return expression(dialect, columns, columns, columns, sourceTypes, targetTypes);
    }

    /**
     * The expression over {@code side}, one side's names of the pairs {@code sourceColumns[i]} and
     * {@code targetColumns[i]}, each pair hashed as both sides' types allow.
     */
    static String expression(PostgresDialect dialect, List<String> side, List<String> sourceColumns,
                             List<String> targetColumns, Map<String, String> sourceTypes,
                             Map<String, String> targetTypes) {
        List<String> parts = new ArrayList<>();
        List<String> asText = new ArrayList<>();
        for (int i = 0; i < side.size(); i++) {
            String column = side.get(i);
            String typed = typed(dialect.quote(column), i + 1, sourceTypes.get(sourceColumns.get(i)),
                    targetTypes.get(targetColumns.get(i)));
            if (typed == null) {
                asText.add(column);
            } else {
                parts.add("coalesce(" + typed + ", 0)");
            }
        }
        if (!asText.isEmpty()) {
            parts.add(dialect.rowHash(asText));
        }
        return parts.size() == 1 ? parts.get(0) : "(" + String.join(" # ", parts) + ")";
    }

    /** The column's own hash for this pair of types, or null when it must be hashed as text. */
    private static String typed(String quoted, int seed, String sourceType, String targetType) {
        if (INTEGERS.contains(sourceType) && INTEGERS.contains(targetType)) {
            return "hashint8extended(" + quoted + "::int8, " + seed + ")";
        }
        if (STRINGS.contains(sourceType) && STRINGS.contains(targetType)) {
            return "hashtextextended(" + quoted + " collate \"C\", " + seed + ")";
        }
        if (sourceType != null && sourceType.equals(targetType) && SAME_TYPE.containsKey(sourceType)) {
            return SAME_TYPE.get(sourceType).formatted(quoted, seed);
        }
        return null;
    }

    /** Column name to its type's name as PostgreSQL reports it ({@code int4}, {@code timestamptz}, an enum's name). */
    private static Map<String, String> typeNames(Connection connection, org.runbooks.jdbc.dialect.Dialect dialect,
                                                 String table) throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("select * from " + dialect.quoteTable(table) + " where 1 = 0")) {
            ResultSetMetaData meta = rs.getMetaData();
            Map<String, String> types = new LinkedHashMap<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                types.put(meta.getColumnLabel(i), meta.getColumnTypeName(i));
            }
            return types;
        }
    }
}
