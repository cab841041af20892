package org.runbooks.jdbc.dialect;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** PostgreSQL: {@code insert ... on conflict do update}, and key values sent untyped so the server casts them. */
public final class PostgresDialect extends Dialect {

    @Override
    public Engine engine() {
        return Engine.POSTGRESQL;
    }

    @Override
    public boolean supportsCopy() {
        return true;
    }

    /** PostgreSQL 11 and later. */
    @Override
    public boolean hasExtendedHashes() {
        return true;
    }

    /** {@code pg_class.reltuples}: one catalog lookup, -1 until the table is vacuumed or analyzed. */
    @Override
    public Optional<String> rowEstimate(Relation.Table table) {
        return Optional.of("select coalesce((select reltuples::bigint from pg_class where oid = to_regclass("
                + literal(relation(table)) + ")), -1)");
    }

    @Override
    public void bindKey(PreparedStatement statement, int index, String value) throws SQLException {
        statement.setObject(index, value, Types.OTHER);
    }

    /**
     * The upsert of every row of {@code from} (a staging table of the same columns) into {@code table}, in one
     * statement: {@code insert into <table> (<columns>) select <columns> from <from> on conflict (<key>) do update}.
     * Rows are matched and replaced exactly as {@link #upsert} does, one {@code values} row at a time.
     */
    public String upsertFrom(String from, String table, List<String> columns, List<String> key) {
        return "insert into " + quoteTable(table) + " (" + columnList(columns) + ") select " + columnList(columns)
                + " from " + quoteTable(from) + onConflict(columns, key);
    }

    /**
     * A {@code time} or {@code timetz} is read as PostgreSQL's own text: {@link java.sql.Time} keeps milliseconds
     * only and no offset, so {@code 23:59:59.999999+05:30} would come back as {@code 23:59:59.999} in the JVM's zone.
     * A {@code timestamp} is read as a {@link LocalDateTime} and a {@code timestamptz} as an {@link OffsetDateTime}:
     * a {@link java.sql.Timestamp} passes through the JVM's zone, where {@code 2024-03-10 02:30} does not exist in
     * New York and becomes {@code 03:30}.
     */
    @Override
    protected Object doReadValue(ResultSet row, int column) throws SQLException {
        int type = row.getMetaData().getColumnType(column);
        if (type == Types.TIME || type == Types.TIME_WITH_TIMEZONE) {
            return row.getString(column);
        }
        return switch (row.getMetaData().getColumnTypeName(column)) {
            case "timestamp" -> row.getObject(column, LocalDateTime.class);
            case "timestamptz" -> row.getObject(column, OffsetDateTime.class);
            default -> row.getObject(column);
        };
    }

    /**
     * Text goes untyped, as keys do, so that the server reads it as the target column's type: an enum, a domain or
     * a {@code char(n)} read as a Java string is written back as itself instead of failing as {@code varchar}.
     */
    @Override
    protected void doBindValue(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value instanceof String text) {
            statement.setObject(index, text, Types.OTHER);
        } else {
            statement.setObject(index, value);
        }
    }

    @Override
    protected String doQuote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /**
     * An escape string ({@code E'...'}): its meaning does not hang on the server's
     * {@code standard_conforming_strings}, so a backslash in a key is a backslash on every server.
     */
    @Override
    protected String doLiteral(String value) {
        return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /**
     * PostgreSQL's own 64-bit text hash of the row's text ({@code row(...)::text} quotes and escapes each value, and
     * tells NULL from the empty string). Twice as fast as an md5 of the same text, and the same on every server of
     * the same byte order (hash partitioning relies on it); two servers of different byte order would see every row
     * as changed, never a difference as equal.
     */
    @Override
    protected String doRowHash(List<String> quotedColumns) {
        return "hashtextextended(row(" + String.join(", ", quotedColumns) + ")::text, 0)";
    }

    @Override
    protected List<String> doReadOnlySession() {
        return List.of("set session characteristics as transaction read only");
    }

    /** PgJDBC begins the transaction itself (autocommit is off), so this is its first statement. */
    @Override
    protected String doReadOnlyTransaction() {
        return "set transaction read only";
    }

    @Override
    protected String doUtcSession() {
        return "set time zone 'UTC'";
    }

    @Override
    protected String doNowMinusMicros(long micros) {
        return "current_timestamp - interval '" + micros + " microseconds'";
    }

    @Override
    protected String doUpsert(String quotedTable, List<String> columns, List<String> key) {
        return "insert into " + quotedTable + " (" + columnList(columns) + ") values "
                + placeholders(columns.size()) + onConflict(columns, key);
    }

    private String onConflict(List<String> columns, List<String> key) {
        List<String> rest = columns.stream().filter(c -> !key.contains(c)).toList();
        String conflict = rest.isEmpty() ? " do nothing" : " do update set "
                + rest.stream().map(c -> quote(c) + " = excluded." + quote(c)).collect(Collectors.joining(", "));
        return " on conflict " + row(key) + conflict;
    }

    /** {@code lock_timeout} and {@code statement_timeout}, both in milliseconds; 0 turns the second off. */
    @Override
    protected List<String> doSessionTimeouts(long lockMillis, Long statementMillis) {
        return statementMillis == null ? List.of("set lock_timeout = " + lockMillis)
                : List.of("set lock_timeout = " + lockMillis, "set statement_timeout = " + statementMillis);
    }
}
