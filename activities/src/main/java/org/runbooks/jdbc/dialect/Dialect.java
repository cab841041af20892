package org.runbooks.jdbc.dialect;

import org.runbooks.parse.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What differs between databases: quoting, upserts, keyset queries and how a key value is bound. The public methods
 * are final and check their identifiers; subclasses only supply the database's spelling.
 *
 * <p>A statement that compares a whole key with a bound ({@link #keysetChunk}, {@link #keyInterval},
 * {@link #deleteKeyRange}) takes the bound's values as {@link #keyArguments}{@code (values)}: the values themselves
 * where the database compares rows ({@code (a, b) > (?, ?)}), repeated where the comparison is spelled out column
 * by column so that the database's optimizer can use the key's index.
 */
public abstract class Dialect {

    /**
     * The database engines we speak. A step kind with its own implementation per database (write freezes, key
     * generators, change capture) picks it with a switch on {@link #engine()}, which the compiler checks for
     * every engine.
     */
    public enum Engine { POSTGRESQL, MARIADB, H2 }

    public static Dialect forUrl(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return new PostgresDialect();
        }
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return new H2Dialect();
        }
        if (jdbcUrl.startsWith("jdbc:mariadb:") || jdbcUrl.startsWith("jdbc:mysql:")) {
            return new MariaDbDialect();
        }
        throw new IllegalArgumentException("no dialect for " + jdbcUrl.replaceAll("[?;].*", "")
                + "; supported: jdbc:postgresql:, jdbc:h2:, jdbc:mariadb:, jdbc:mysql:");
    }

    /** The database engine this dialect speaks. */
    public abstract Engine engine();

    /**
     * Whether the database speaks PostgreSQL's {@code COPY} protocol: a copy between two such databases streams its
     * rows with it instead of batched upserts. False unless the dialect says otherwise.
     */
    public boolean supportsCopy() {
        return false;
    }

    /**
     * Whether the database has PostgreSQL's typed 64-bit hash functions ({@code hashint8extended},
     * {@code hash_numeric_extended}, ...), so a comparison can hash a column as stored instead of as text.
     * False unless the dialect says otherwise.
     */
    public boolean hasExtendedHashes() {
        return false;
    }

    /**
     * A query of one number, {@code table}'s row count as the database's statistics estimate it, or -1 where they
     * hold none; empty where the database keeps no estimate worth reading (the caller counts instead).
     */
    public Optional<String> rowEstimate(Relation.Table table) {
        return Optional.empty();
    }

    /**
     * Quotes one column or schema name, spelled as the database spells it, escaping the quote character inside it;
     * a name no database could hold (empty, too long, a control character) is refused.
     */
    public final String quote(String identifier) {
        if (!Identifiers.isQuotableName(identifier)) {
            throw new UnsafeIdentifierException(identifier);
        }
        return doQuote(identifier);
    }

    /** Quotes a table's qualified text, {@code name} or {@code schema.name} (see {@link Identifiers#tableParts}). */
    public final String quoteTable(String table) {
        List<String> parts = Identifiers.tableParts(table);
        if (parts == null) {
            throw new UnsafeIdentifierException(table);
        }
        return parts.stream().map(this::doQuote).collect(Collectors.joining("."));
    }

    public final String columnList(List<String> columns) {
        return columns.stream().map(this::quote).collect(Collectors.joining(", "));
    }

    /**
     * The {@code from} item that reads {@code source}: the quoted table, or the query as a derived table named
     * {@code src}. The query goes on lines of its own, so a trailing comment cannot swallow what follows, and loses
     * trailing semicolons, which cannot stand inside parentheses.
     */
    public final String relation(Relation source) {
        return switch (source) {
            case Relation.Table t -> quoteTable(t.name());
            case Relation.Query q -> "(\n" + q.sql().strip().replaceAll("[;\\s]+$", "") + "\n) src";
        };
    }

    /** {@code select * from <source> where 1 = 0}: no rows, but the column names and types. */
    public final String noRows(Relation source) {
        return "select * from " + relation(source) + " where 1 = 0";
    }

    /** {@code select min(<column>), max(<column>) from <source>}: where key ranges start and end. */
    public final String keySpan(Relation source, String column) {
        return "select min(" + quote(column) + "), max(" + quote(column) + ") from " + relation(source);
    }

    /**
     * One keyset chunk: {@code select <columns> from <source> where (<key>) > (?...) and <key[0]> >= ? and
     * <key[0]> < ? order by <key> limit <rows>}, with only the conditions {@code bounds} asks for. The last key is
     * bound as {@link #keyArguments}{@code (lastKey)}.
     */
    public final String keysetChunk(Relation source, List<String> columns, List<String> key, KeysetBounds bounds,
                                    int rows) {
        return chunk(source, columns, key, bounds.afterLastKey() ? marks(key.size()) : null,
                bounds.fromLeadingKey() ? "?" : null, bounds.belowLeadingKey() ? "?" : null, rows);
    }

    /**
     * The same chunk with its bounds written into the statement as literals, for statements that take no parameters
     * ({@code COPY (select ...) to stdout}). A key value is a quoted literal of unknown type, so the database reads it
     * as the key column's type, as it does a bound key.
     *
     * @param afterKey the last key copied, or null for the range's first chunk
     * @param from     the range's lower bound on the leading key (inclusive), or null
     * @param below    the range's upper bound on the leading key (exclusive), or null
     */
    public final String keysetChunk(Relation source, List<String> columns, List<String> key, List<String> afterKey,
                                    Long from, Long below, int rows) {
        if (afterKey != null && afterKey.size() != key.size()) {
            throw new IllegalArgumentException("last key " + afterKey + " has " + afterKey.size()
                    + " values for key " + key);
        }
        List<String> after = afterKey == null ? null : afterKey.stream().map(this::literal).toList();
        return chunk(source, columns, key, after, from == null ? null : from.toString(),
                below == null ? null : below.toString(), rows);
    }

    private String chunk(Relation source, List<String> columns, List<String> key, List<String> after, String from,
                         String below, int rows) {
        List<String> conditions = new ArrayList<>();
        if (after != null) {
            conditions.add(keyCompare(key, ">", after));
        }
        if (from != null) {
            conditions.add(quote(key.get(0)) + " >= " + from);
        }
        if (below != null) {
            conditions.add(quote(key.get(0)) + " < " + below);
        }
        String where = conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
        return "select " + columnList(columns) + " from " + relation(source) + where
                + " order by " + columnList(key) + " limit " + rows;
    }

    /** A string literal holding {@code value} exactly, whatever quotes or backslashes it contains. */
    public final String literal(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a key value cannot contain a NUL character");
        }
        return doLiteral(value);
    }

    /**
     * The condition {@code (<key>) > (?...) and (<key>) <= (?...)} of a key interval, with only the bounds asked
     * for, and {@code true} when neither is: validation's ranges are open below and closed above, so ranges cut at
     * the same keys cover every key exactly once. Each bound is bound as {@link #keyArguments}{@code (bound)}.
     */
    public final String keyInterval(List<String> key, boolean after, boolean upTo) {
        List<String> conditions = new ArrayList<>();
        if (after) {
            conditions.add(keyCompare(key, ">", marks(key.size())));
        }
        if (upTo) {
            conditions.add(keyCompare(key, "<=", marks(key.size())));
        }
        return conditions.isEmpty() ? "true" : String.join(" and ", conditions);
    }

    /**
     * A 64-bit number computed in the database from the text of {@code columns} of one row, such that rows whose
     * columns read the same give the same number and any other row, all but surely, another. Summed over a key
     * range it is that range's checksum, computed where the rows are.
     */
    public final String rowHash(List<String> columns) {
        return doRowHash(columns.stream().map(this::quote).toList());
    }

    /**
     * Deletes rows whose key lies in a closed range: {@code (<key>) >= (?...) and (<key>) <= (?...)}, each bound
     * bound as {@link #keyArguments}{@code (bound)}.
     */
    public final String deleteKeyRange(String table, List<String> key) {
        return "delete from " + quoteTable(table) + " where " + keyCompare(key, ">=", marks(key.size()))
                + " and " + keyCompare(key, "<=", marks(key.size()));
    }

    /**
     * The statements that give a session {@code lockTimeout} (how long any statement waits for a lock before it
     * fails, at least 1 ms) and {@code statementTimeout} (how long any statement may run: zero for no limit, null to
     * leave the session's as it is).
     */
    public final List<String> sessionTimeouts(java.time.Duration lockTimeout, java.time.Duration statementTimeout) {
        long lock = Math.max(1, lockTimeout.toMillis());
        Long statement = statementTimeout == null ? null : Math.max(0, statementTimeout.toMillis());
        return doSessionTimeouts(lock, statement);
    }

    /** @param statementMillis 0: no limit; null: leave it as it is */
    protected abstract List<String> doSessionTimeouts(long lockMillis, Long statementMillis);

    /**
     * {@code (<key>) <operator> (?...)}: the key compared with one bound, {@code operator} one of {@code >},
     * {@code >=}, {@code <=}; the bound is bound as {@link #keyArguments}{@code (bound)}.
     */
    public final String keyCondition(List<String> key, String operator) {
        if (!List.of(">", ">=", "<=").contains(operator)) {
            throw new IllegalArgumentException("a key is compared by >, >= or <=, not " + operator);
        }
        return keyCompare(key, operator, marks(key.size()));
    }

    /**
     * The values to bind, in order, for the placeholders of one comparison of the key with {@code values} (a last
     * key, or an interval's bound), in the statements above.
     */
    public final List<String> keyArguments(List<String> values) {
        return doKeyArguments(values);
    }

    /** An insert that replaces the row with the same key: running it twice leaves the same row. */
    public final String upsert(String table, List<String> columns, List<String> key) {
        columns.forEach(this::quote);
        key.forEach(this::quote);
        return doUpsert(quoteTable(table), columns, key);
    }

    /**
     * {@link #upsert} of {@code rows} rows in one statement, their values bound row after row in {@code columns}'
     * order. The rows' keys must differ: PostgreSQL refuses to update one row twice in one statement.
     */
    public final String upsertRows(String table, List<String> columns, List<String> key, int rows) {
        String one = upsert(table, columns, key);
        String row = " values " + placeholders(columns.size());
        int at = one.indexOf(row);
        if (at < 0) {
            throw new IllegalStateException("the upsert of " + getClass().getSimpleName() + " has no values row: " + one);
        }
        return one.substring(0, at) + " values "
                + String.join(", ", java.util.Collections.nCopies(rows, placeholders(columns.size())))
                + one.substring(at + row.length());
    }

    /** Reads one value of a chunk, in the form {@link #bindValue} on the target writes back unchanged. */
    public final Object readValue(ResultSet row, int column) throws SQLException {
        return doReadValue(row, column);
    }

    /** Binds a value read with {@link #readValue} to a parameter of the upsert. */
    public final void bindValue(PreparedStatement statement, int index, Object value) throws SQLException {
        doBindValue(statement, index, value);
    }

    /** Binds a key value kept as text (checkpoints carry keys as text) so the database compares it as its type. */
    public abstract void bindKey(PreparedStatement statement, int index, String value) throws SQLException;

    /**
     * Reads one key column as the text a checkpoint keeps, which {@link #bindKeyArguments} binds back to exactly
     * the same value: the database's own text for the value, read in the worker's UTC session (see
     * {@link #utcSession}), so never in the JVM's time zone; for a binary column, {@code \x} and the bytes in hex,
     * as PostgreSQL writes a {@code bytea}, since the bytes need not be text in any character set.
     */
    public final String readKey(ResultSet row, int column) throws SQLException {
        if (isBinary(row.getMetaData().getColumnType(column))) {
            byte[] bytes = row.getBytes(column);
            return bytes == null ? null : BINARY_KEY_PREFIX + HexFormat.of().formatHex(bytes);
        }
        return doReadKey(row, column);
    }

    /**
     * Binds {@link #keyArguments}{@code (values)} from {@code index} on and returns the next free index. A value of a
     * column that {@code binary} marks is {@link #readKey}'s hex, and is bound as its bytes; the others go through
     * {@link #bindKey}.
     */
    public final int bindKeyArguments(PreparedStatement statement, int index, List<String> values, boolean[] binary)
            throws SQLException {
        // doKeyArguments only repeats and orders the values it is given: given the columns' positions, it says
        // which column each argument belongs to.
        List<String> columns = doKeyArguments(IntStream.range(0, values.size()).mapToObj(Integer::toString).toList());
        for (String position : columns) {
            int c = Integer.parseInt(position);
            bindKey(statement, index++, values.get(c), binary[c]);
        }
        return index;
    }

    /**
     * Binds one key value kept as text ({@link #readKey}'s): a value of a {@code binary} column as the bytes its hex
     * names, so the database compares bytes with bytes (MariaDB would compare a {@code varbinary} with the text
     * {@code \x0a1b} itself); any other through {@link #bindKey}.
     */
    public final void bindKey(PreparedStatement statement, int index, String value, boolean binary)
            throws SQLException {
        if (binary && value != null && value.startsWith(BINARY_KEY_PREFIX)) {
            statement.setBytes(index, HexFormat.of().parseHex(value, BINARY_KEY_PREFIX.length(), value.length()));
        } else {
            bindKey(statement, index, value);
        }
    }

    /**
     * Which of the {@code key} columns of {@code source} hold bytes, whose keys {@link #bindKeyArguments} binds from
     * hex; asked with an empty query, since a resumed copy or a rollback binds a key before it has read a row.
     */
    public final boolean[] binaryColumns(Connection connection, Relation source, List<String> key)
            throws SQLException {
        boolean[] binary = new boolean[key.size()];
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("select " + columnList(key) + " from " + relation(source)
                     + " where 1 = 0")) {
            for (int c = 0; c < binary.length; c++) {
                binary[c] = isBinary(rs.getMetaData().getColumnType(c + 1));
            }
        }
        return binary;
    }

    /** Whether a column of this JDBC type holds bytes rather than text: its keys are kept as hex. */
    public static boolean isBinary(int sqlType) {
        return sqlType == Types.BINARY || sqlType == Types.VARBINARY || sqlType == Types.LONGVARBINARY
                || sqlType == Types.BLOB;
    }

    private static final String BINARY_KEY_PREFIX = "\\x";

    /**
     * Statements that make every later transaction of a session read-only, run once in autocommit (as the timeouts
     * are) on every connection that only reads: a check's SQL that tries to write, or to call a function that writes,
     * is then refused by the database itself, whatever the login may do. Empty where the database has no such mode.
     */
    public final List<String> readOnlySession() {
        return doReadOnlySession();
    }

    protected abstract List<String> doReadOnlySession();

    /**
     * The statement a read runs first so that its transaction is read-only however the session was left ({@code SET
     * TRANSACTION READ ONLY} on PostgreSQL, {@code START TRANSACTION READ ONLY} on MariaDB); null where the database
     * has none.
     */
    public final String readOnlyTransaction() {
        return doReadOnlyTransaction();
    }

    protected abstract String doReadOnlyTransaction();

    /**
     * The statement that pins a session's time zone to UTC, which every worker connection runs first: the database
     * then reads and writes {@code timestamp} and {@code datetime} text, and converts instants, the same way on
     * every connection, whatever the server's, the JVM's or the driver's default zone.
     */
    public final String utcSession() {
        return doUtcSession();
    }

    /**
     * The condition {@code <column> > <the database's now> - <window>}: the rows changed within {@code window} by the
     * database's own clock, computed where the rows are. A column without a time zone is read as UTC, the zone of
     * the worker's sessions.
     */
    public final String changedWithin(String column, Duration window) {
        return quote(column) + " > " + doNowMinusMicros(window.toNanos() / 1_000);
    }

    /** The identifier in the database's quotes, each quote character inside it doubled. */
    protected abstract String doQuote(String identifier);

    protected abstract String doLiteral(String value);

    protected abstract String doRowHash(List<String> quotedColumns);

    protected abstract String doUtcSession();

    /** The database's current instant less {@code micros} microseconds, as an SQL expression. */
    protected abstract String doNowMinusMicros(long micros);

    /** A key column's text, which the database reads back as the same value: by default the driver's text. */
    protected String doReadKey(ResultSet row, int column) throws SQLException {
        return row.getString(column);
    }

    protected Object doReadValue(ResultSet row, int column) throws SQLException {
        return row.getObject(column);
    }

    protected void doBindValue(PreparedStatement statement, int index, Object value) throws SQLException {
        statement.setObject(index, value);
    }

    protected abstract String doUpsert(String quotedTable, List<String> columns, List<String> key);

    /**
     * The key compared with {@code values} (placeholders or literals) by {@code operator}, one of {@code >},
     * {@code >=}, {@code <=}: by default as rows, {@code (<key>) > (<values>)}, whose arguments are the values as
     * they are.
     */
    protected String doKeyCompare(List<String> quotedKey, String operator, List<String> values) {
        return "(" + String.join(", ", quotedKey) + ") " + operator + " (" + String.join(", ", values) + ")";
    }

    /** The arguments of {@link #doKeyCompare} for these key values; override both together. */
    protected List<String> doKeyArguments(List<String> values) {
        return values;
    }

    private String keyCompare(List<String> key, String operator, List<String> values) {
        return doKeyCompare(key.stream().map(this::quote).toList(), operator, values);
    }

    private static List<String> marks(int n) {
        return java.util.Collections.nCopies(n, "?");
    }

    protected final String row(List<String> columns) {
        return "(" + columnList(columns) + ")";
    }

    protected static String placeholders(int n) {
        return "(" + String.join(", ", java.util.Collections.nCopies(n, "?")) + ")";
    }
}
