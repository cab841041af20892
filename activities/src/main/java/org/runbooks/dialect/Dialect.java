package org.runbooks.dialect;

import org.runbooks.parse.Identifiers;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What differs between databases: quoting, upserts, keyset queries and how a key value is bound. The public methods
 * are final and check their identifiers; subclasses only supply the database's spelling.
 */
public abstract class Dialect {

    public static Dialect forUrl(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return new PostgresDialect();
        }
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return new H2Dialect();
        }
        throw new IllegalArgumentException("no dialect for " + jdbcUrl.replaceAll("[?;].*", "")
                + "; supported: jdbc:postgresql:, jdbc:h2:");
    }

    /** Quotes one column or schema name after checking it is a safe identifier. */
    public final String quote(String identifier) {
        if (!Identifiers.isSafeName(identifier)) {
            throw new UnsafeIdentifierException(identifier);
        }
        return doQuote(identifier);
    }

    /** Quotes {@code name} or {@code schema.name}. */
    public final String quoteTable(String table) {
        if (!Identifiers.isSafeTable(table)) {
            throw new UnsafeIdentifierException(table);
        }
        String[] parts = table.split("\\.");
        return parts.length == 1 ? doQuote(parts[0]) : doQuote(parts[0]) + "." + doQuote(parts[1]);
    }

    public final String columnList(List<String> columns) {
        return columns.stream().map(this::quote).collect(Collectors.joining(", "));
    }

    /**
     * {@code select <columns> from <table> [where (<key>) > (?...)] order by <key> limit <rows>}: one keyset chunk.
     */
    public final String keysetChunk(String table, List<String> columns, List<String> key, boolean after, int rows) {
        String where = after ? " where " + row(key) + " > " + placeholders(key.size()) : "";
        return "select " + columnList(columns) + " from " + quoteTable(table) + where
                + " order by " + columnList(key) + " limit " + rows;
    }

    /** Deletes rows whose key lies in a closed range: {@code (<key>) >= (?...) and (<key>) <= (?...)}. */
    public final String deleteKeyRange(String table, List<String> key) {
        return "delete from " + quoteTable(table) + " where " + row(key) + " >= " + placeholders(key.size())
                + " and " + row(key) + " <= " + placeholders(key.size());
    }

    /** An insert that replaces the row with the same key: running it twice leaves the same row. */
    public final String upsert(String table, List<String> columns, List<String> key) {
        columns.forEach(this::quote);
        key.forEach(this::quote);
        return doUpsert(quoteTable(table), columns, key);
    }

    /** Binds a key value kept as text (checkpoints carry keys as text) so the database compares it as its type. */
    public abstract void bindKey(PreparedStatement statement, int index, String value) throws SQLException;

    protected abstract String doQuote(String identifier);

    protected abstract String doUpsert(String quotedTable, List<String> columns, List<String> key);

    protected final String row(List<String> columns) {
        return "(" + columnList(columns) + ")";
    }

    protected static String placeholders(int n) {
        return "(" + String.join(", ", java.util.Collections.nCopies(n, "?")) + ")";
    }
}
