package org.runbooks.jdbc.dialect;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * MariaDB, and MySQL through the same SQL: backtick quoting, {@code insert ... on duplicate key update} upserts, and
 * key comparisons spelled out column by column. MariaDB reads {@code (a, b) > (?, ?)} by scanning the index from its
 * first entry (each keyset chunk would cost the rows before it), but turns
 * {@code (a > ? or (a = ? and b > ?))} into one exact index range.
 *
 * <p>{@code on duplicate key update} matches a row by any unique key of the target, not only the runbook's key:
 * a target whose other unique keys collide with copied rows sees those rows replaced, where PostgreSQL would fail.
 */
public final class MariaDbDialect extends Dialect {

    @Override
    public Engine engine() {
        return Engine.MARIADB;
    }

    /** The server converts a text key to the column's type exactly, past 2^53 too. */
    @Override
    public void bindKey(PreparedStatement statement, int index, String value) throws SQLException {
        statement.setString(index, value);
    }

    /**
     * A {@code time} is read as the server's text: {@link java.sql.Time} keeps no microseconds and no hours outside
     * a day, while MariaDB's {@code time(6)} holds {@code -838:59:59.999999} to {@code 838:59:59.999999}. A
     * {@code year}, which the driver reads as a date, is read as its number. A {@code datetime} or
     * {@code timestamp} is read as a {@link LocalDateTime}, the server's own fields (a {@code timestamp} in the
     * session's UTC): a {@link java.sql.Timestamp} passes through the JVM's zone, where {@code 2024-03-10 02:30} does
     * not exist in New York and becomes {@code 03:30}.
     */
    @Override
    protected Object doReadValue(ResultSet row, int column) throws SQLException {
        int type = row.getMetaData().getColumnType(column);
        if (type == Types.TIME) {
            return row.getString(column);
        }
        if (type == Types.TIMESTAMP) {
            return row.getObject(column, LocalDateTime.class);
        }
        if (type == Types.DATE && "YEAR".equalsIgnoreCase(row.getMetaData().getColumnTypeName(column))) {
            int year = row.getInt(column);
            return row.wasNull() ? null : year;
        }
        return row.getObject(column);
    }

    /**
     * A {@code datetime} or {@code timestamp} key is written from its fields: the driver's {@code getString} passes
     * it through the JVM's zone, and turns {@code 2024-03-10 02:30}, which New York skips, into {@code 03:30}.
     */
    @Override
    protected String doReadKey(ResultSet row, int column) throws SQLException {
        if (row.getMetaData().getColumnType(column) == Types.TIMESTAMP) {
            LocalDateTime value = row.getObject(column, LocalDateTime.class);
            return value == null ? null : value.format(DATETIME);
        }
        return row.getString(column);
    }

    /** {@code 2024-03-10 02:30:00}, with as many fraction digits as it has, as PostgreSQL writes a timestamp. */
    private static final DateTimeFormatter DATETIME = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd HH:mm:ss").appendFraction(ChronoField.NANO_OF_SECOND, 0, 6, true)
            .toFormatter(Locale.ROOT);

    /** An instant (a PostgreSQL {@code timestamptz}, say) is written as its UTC time, the session's zone. */
    @Override
    protected void doBindValue(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value instanceof OffsetDateTime instant) {
            statement.setObject(index, instant.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
        } else {
            statement.setObject(index, value);
        }
    }

    @Override
    protected String doQuote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    @Override
    protected List<String> doReadOnlySession() {
        return List.of("set session transaction read only");
    }

    @Override
    protected String doReadOnlyTransaction() {
        return "start transaction read only";
    }

    @Override
    protected String doUtcSession() {
        return "set time_zone = '+00:00'";
    }

    @Override
    protected String doNowMinusMicros(long micros) {
        return "now(6) - interval " + micros + " microsecond";
    }

    /**
     * A plain string when the value holds no backslash; otherwise its UTF-8 bytes as a hex literal read as text,
     * since what a backslash means in a string depends on the server's {@code NO_BACKSLASH_ESCAPES} mode.
     */
    @Override
    protected String doLiteral(String value) {
        if (value.indexOf('\\') < 0) {
            return "'" + value.replace("'", "''") + "'";
        }
        return "_utf8mb4 X'" + HexFormat.of().formatHex(value.getBytes(StandardCharsets.UTF_8)) + "'";
    }

    /**
     * The first 60 bits of the md5 of the values' text, each written as its length, a colon and itself, or as
     * {@code ~} for NULL, so that no value can pass for NULL or shift across a column boundary. 60 bits, not 64,
     * so that the number is read back as a signed {@code long} without overflow; the server sums it exactly. A
     * {@code timestamp}'s text is its instant in UTC, the zone every worker session is pinned to, so two servers in
     * different zones hash the same instant alike and a shifted one differently.
     */
    @Override
    protected String doRowHash(List<String> quotedColumns) {
        String text = quotedColumns.stream()
                .map(c -> "coalesce(concat(length(cast(" + c + " as char)), ':', cast(" + c + " as char)), '~')")
                .collect(Collectors.joining(", '|', "));
        return "cast(conv(left(md5(concat(" + text + ")), 15), 16, 10) as unsigned)";
    }

    /**
     * {@code insert ... values (?...) on duplicate key update <column> = values(<column>)}; a key-only table updates
     * a key column to itself, a no-op, rather than {@code insert ignore}, which would also hide conversion errors.
     * {@code values()} rather than MySQL 8's row alias, which MariaDB does not know.
     */
    @Override
    protected String doUpsert(String quotedTable, List<String> columns, List<String> key) {
        List<String> rest = columns.stream().filter(c -> !key.contains(c)).toList();
        String set = rest.isEmpty() ? quote(key.get(0)) + " = " + quote(key.get(0))
                : rest.stream().map(c -> quote(c) + " = values(" + quote(c) + ")").collect(Collectors.joining(", "));
        return "insert into " + quotedTable + " (" + columnList(columns) + ") values " + placeholders(columns.size())
                + " on duplicate key update " + set;
    }

    /**
     * {@code (a, b, c) > (x, y, z)} as {@code (a > x or (a = x and b > y) or (a = x and b = y and c > z))}; for
     * {@code >=} and {@code <=} only the last column's comparison includes equality. A one-column key stays
     * {@code a > x}.
     */
    @Override
    protected String doKeyCompare(List<String> quotedKey, String operator, List<String> values) {
        String strict = operator.substring(0, 1);
        List<String> terms = new ArrayList<>();
        for (int i = 0; i < quotedKey.size(); i++) {
            List<String> term = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                term.add(quotedKey.get(j) + " = " + values.get(j));
            }
            term.add(quotedKey.get(i) + " " + (i == quotedKey.size() - 1 ? operator : strict) + " " + values.get(i));
            terms.add(String.join(" and ", term));
        }
        if (terms.size() == 1) {
            return terms.get(0);
        }
        return "(" + terms.get(0) + terms.stream().skip(1).map(t -> " or (" + t + ")").collect(Collectors.joining())
                + ")";
    }

    /** The values of {@link #doKeyCompare}'s terms in order: the first, then the first two, and so on. */
    @Override
    protected List<String> doKeyArguments(List<String> values) {
        List<String> arguments = new ArrayList<>();
        for (int i = 1; i <= values.size(); i++) {
            arguments.addAll(values.subList(0, i));
        }
        return arguments;
    }

    /**
     * {@code innodb_lock_wait_timeout} for row locks and {@code lock_wait_timeout} for metadata locks (DDL), both in
     * whole seconds (at least 1, so a timeout under a second waits a second), and {@code max_statement_time} in
     * seconds (0: no limit).
     */
    @Override
    protected List<String> doSessionTimeouts(long lockMillis, Long statementMillis) {
        long lockSeconds = Math.max(1, (lockMillis + 999) / 1000);
        List<String> statements = new java.util.ArrayList<>(List.of("set session innodb_lock_wait_timeout = "
                + lockSeconds, "set session lock_wait_timeout = " + lockSeconds));
        if (statementMillis != null) {
            statements.add("set session max_statement_time = "
                    + java.math.BigDecimal.valueOf(statementMillis, 3).toPlainString());
        }
        return statements;
    }
}
