package org.runbooks.jdbc.dialect;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * H2, for the demo's embedded databases. URLs must say {@code DATABASE_TO_LOWER=TRUE} so that names fold to lower
 * case as in PostgreSQL. Upserts are {@code merge into ... key (...)}; H2 converts text keys itself.
 */
public final class H2Dialect extends Dialect {

    @Override
    public Engine engine() {
        return Engine.H2;
    }

    @Override
    public void bindKey(PreparedStatement statement, int index, String value) throws SQLException {
        statement.setString(index, value);
    }

    @Override
    protected String doQuote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    protected String doLiteral(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /**
     * The first 64 bits of the md5 of the values' text, each written as its length, a colon and itself, or as
     * {@code ~} for NULL, so that no value can pass for NULL or shift across a column boundary.
     */
    @Override
    protected String doRowHash(List<String> quotedColumns) {
        String text = quotedColumns.stream()
                .map(c -> "coalesce(cast(length(cast(" + c + " as varchar)) as varchar) || ':' || cast(" + c
                        + " as varchar), '~')")
                .collect(Collectors.joining(" || '|' || "));
        return "cast(substring(hash('MD5', " + text + ") from 1 for 8) as bigint)";
    }

    /** H2, the demo's embedded database, has no read-only transactions; its connections are read-only instead. */
    @Override
    protected List<String> doReadOnlySession() {
        return List.of();
    }

    @Override
    protected String doReadOnlyTransaction() {
        return null;
    }

    @Override
    protected String doUtcSession() {
        return "set time zone 'UTC'";
    }

    @Override
    protected String doNowMinusMicros(long micros) {
        return "dateadd(microsecond, -" + micros + ", current_timestamp)";
    }

    @Override
    protected String doUpsert(String quotedTable, List<String> columns, List<String> key) {
        return "merge into " + quotedTable + " (" + columnList(columns) + ") key " + row(key) + " values "
                + placeholders(columns.size());
    }

    /** {@code LOCK_TIMEOUT} and {@code QUERY_TIMEOUT}, both in milliseconds; 0 turns the second off. */
    @Override
    protected List<String> doSessionTimeouts(long lockMillis, Long statementMillis) {
        return statementMillis == null ? List.of("set lock_timeout " + lockMillis)
                : List.of("set lock_timeout " + lockMillis, "set query_timeout " + statementMillis);
    }
}
