package org.runbooks.preflight;

import org.runbooks.jdbc.dialect.Dialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL: the planner's {@code pg_class.reltuples} for large tables, {@code EXPLAIN} for queries (it parses and
 * plans a statement without running it).
 */
final class PostgresCatalog extends Catalog {

    /**
     * Tables the statistics put at fewer rows than this (1,000,000), or that have no statistics yet, are counted with
     * {@code count(*)}, which takes well under a second at that size; larger ones get the estimate.
     */
    static final long COUNT_BELOW = 1_000_000;

    private static final Pattern PLAN_ROWS = Pattern.compile("rows=(\\d+)");

    PostgresCatalog(Connection connection, Dialect dialect) {
        super(connection, dialect);
    }

    @Override
    RowCount tableRows(String table) throws SQLException {
        String quoted = dialect.quoteTable(table);
        long estimate = read("select c.reltuples::bigint from pg_class c where c.oid = to_regclass("
                + dialect.literal(quoted) + ")", rs -> rs.next() ? rs.getLong(1) : -1);
        return estimate >= COUNT_BELOW ? new RowCount(estimate, false) : count(quoted);
    }

    @Override
    RowCount queryRows(String query) throws SQLException {
        String plan = read("explain " + withoutSemicolon(query), rs -> rs.next() ? rs.getString(1) : "");
        Matcher rows = PLAN_ROWS.matcher(plan);
        if (!rows.find()) {
            throw new SQLException("EXPLAIN gave no row estimate: " + plan);
        }
        return new RowCount(Long.parseLong(rows.group(1)), false);
    }

    @Override
    void checkParses(String sql) throws SQLException {
        read("explain " + withoutSemicolon(sql), rs -> null);
    }

    /**
     * Read from {@code pg_index} rather than the driver's {@code getIndexInfo}, which names a column as
     * {@code pg_get_indexdef} writes it with every surrounding {@code "} trimmed: {@code "Order ""Id"""} comes back
     * as {@code Order ""Id}, which is no column. An index over an expression or with a {@code where} (partial)
     * makes no column set unique in the whole table, so neither is listed.
     */
    @Override
    List<Set<String>> uniqueIndexes(String table) throws SQLException {
        return read("select ci.relname, a.attname from pg_catalog.pg_index i"
                + " join pg_catalog.pg_class ci on ci.oid = i.indexrelid"
                + " join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)"
                + " where i.indrelid = to_regclass(" + dialect.literal(dialect.quoteTable(table)) + ")"
                + " and i.indisunique and i.indexprs is null and i.indpred is null order by ci.relname", rs -> {
            Map<String, Set<String>> indexes = new LinkedHashMap<>();
            while (rs.next()) {
                indexes.computeIfAbsent(rs.getString(1), i -> new LinkedHashSet<>()).add(rs.getString(2));
            }
            return List.copyOf(indexes.values());
        });
    }

    /** 42P01 undefined_table; 3F000 invalid_schema_name. */
    @Override
    boolean isMissingTable(SQLException e) {
        return "42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState());
    }
}
