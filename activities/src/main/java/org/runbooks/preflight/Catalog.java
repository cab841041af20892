package org.runbooks.preflight;

import org.runbooks.jdbc.dialect.Dialect;
import org.runbooks.jdbc.dialect.H2Dialect;
import org.runbooks.jdbc.dialect.MariaDbDialect;
import org.runbooks.jdbc.dialect.PostgresDialect;
import org.runbooks.parse.Identifiers;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The read-only questions pre-flight asks one database: which columns a table or a query has, whether a table holds
 * rows, how many rows it holds, whether a query parses. Every question runs in a read-only transaction that is rolled
 * back at once, so a failed one cannot poison the next (PostgreSQL aborts a transaction on any error) and nothing is
 * ever written. Subclasses supply what differs between databases.
 */
abstract class Catalog {

    /** Longest one catalog question may take: 10 s. A count that takes longer is reported as unknown. */
    static final int STATEMENT_TIMEOUT_SECONDS = 10;

    protected final Connection connection;
    protected final Dialect dialect;

    protected Catalog(Connection connection, Dialect dialect) {
        this.connection = connection;
        this.dialect = dialect;
    }

    static Catalog of(Connection connection, Dialect dialect) {
        return switch (dialect) {
            case PostgresDialect postgres -> new PostgresCatalog(connection, postgres);
            case H2Dialect h2 -> new H2Catalog(connection, h2);
            case MariaDbDialect mariaDb -> new MariaDbCatalog(connection, mariaDb);
            default -> throw new IllegalArgumentException("pre-flight cannot inspect a "
                    + dialect.getClass().getSimpleName() + " database yet");
        };
    }

    /** The table's column names as the database spells them, in order. */
    final List<String> tableColumns(String table) throws SQLException {
        return List.copyOf(tableColumnTypes(table).keySet());
    }

    /**
     * The column names a query returns as the database spells them, in order; the query is wrapped so that it
     * returns no row.
     */
    final List<String> queryColumns(String query) throws SQLException {
        return List.copyOf(queryColumnTypes(query).keySet());
    }

    /** The table's column names as the database spells them, in order, each with its {@link java.sql.Types} code. */
    final Map<String, Integer> tableColumnTypes(String table) throws SQLException {
        return columnsOf("select * from " + dialect.quoteTable(table) + " where 1 = 0");
    }

    /** The same for a query, wrapped as a subquery so that it returns no row (and cannot write). */
    final Map<String, Integer> queryColumnTypes(String query) throws SQLException {
        return columnsOf("select * from (" + withoutSemicolon(query) + ") q where 1 = 0");
    }

    /** The table's columns that may hold NULL (not declared NOT NULL), as the database spells them, in order. */
    final List<String> nullableColumns(String table) throws SQLException {
        return read("select * from " + dialect.quoteTable(table) + " where 1 = 0", rs -> {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                if (meta.isNullable(i) != ResultSetMetaData.columnNoNulls) {
                    columns.add(meta.getColumnLabel(i));
                }
            }
            return columns;
        });
    }

    /**
     * The column sets of the table's unique indexes (a primary key is one), as the database spells them: each set is
     * unique in the table, so a key that contains one names at most one row.
     */
    List<Set<String>> uniqueIndexes(String table) throws SQLException {
        List<String> parts = Identifiers.tableParts(table);
        String name = parts.get(parts.size() - 1);
        String schema = parts.size() == 2 ? parts.get(0) : null;
        Map<String, Set<String>> indexes = new LinkedHashMap<>();
        try (ResultSet rs = indexInfo(connection.getMetaData(), schema, name)) {
            while (rs.next()) {
                String index = rs.getString("INDEX_NAME");
                String column = rs.getString("COLUMN_NAME");
                if (index != null && column != null && !rs.getBoolean("NON_UNIQUE")) {
                    indexes.computeIfAbsent(index, i -> new LinkedHashSet<>()).add(column);
                }
            }
        } finally {
            connection.rollback();
        }
        return List.copyOf(indexes.values());
    }

    /**
     * The driver's unique indexes of {@code name} in {@code schema} (null: the connection's own). A schema is a JDBC
     * schema here, a catalog on MariaDB.
     */
    protected ResultSet indexInfo(DatabaseMetaData meta, String schema, String name) throws SQLException {
        return meta.getIndexInfo(null, schema == null ? connection.getSchema() : schema, name, true, true);
    }

    final boolean hasRows(String table) throws SQLException {
        return read("select 1 from " + dialect.quoteTable(table) + " limit 1", ResultSet::next);
    }

    /** Rows of a table: counted when the table is small (or the database keeps no estimate), else estimated. */
    abstract RowCount tableRows(String table) throws SQLException;

    /** Rows a query would return, as well as the database can tell without running it on a large table. */
    abstract RowCount queryRows(String query) throws SQLException;

    /** Throws the database's own error when {@code sql} does not parse or names something that does not exist. */
    abstract void checkParses(String sql) throws SQLException;

    /** True when the error says the table (or its schema) does not exist, rather than, say, a missing privilege. */
    abstract boolean isMissingTable(SQLException e);

    protected final RowCount count(String from) throws SQLException {
        return new RowCount(read("select count(*) from " + from, rs -> {
            rs.next();
            return rs.getLong(1);
        }), true);
    }

    protected static String withoutSemicolon(String sql) {
        return sql.strip().replaceAll(";+$", "");
    }

    /** Runs one query in its own read-only transaction, rolled back whatever happens. */
    protected final <T> T read(String sql, ResultReader<T> reader) throws SQLException {
        T result;
        try (Statement st = connection.createStatement()) {
            st.setQueryTimeout(STATEMENT_TIMEOUT_SECONDS);
            try (ResultSet rs = st.executeQuery(sql)) {
                result = reader.read(rs);
            }
        } catch (SQLException e) {
            throw rolledBack(e);
        }
        connection.rollback();
        return result;
    }

    /** Prepares one statement without running it, rolled back whatever happens. */
    protected final void prepare(String sql) throws SQLException {
        try (PreparedStatement ignored = connection.prepareStatement(sql)) {
            // Preparing is the check: the database has parsed it and resolved its names.
        } catch (SQLException e) {
            throw rolledBack(e);
        }
        connection.rollback();
    }

    /** Rolls back after {@code failure}; a rollback that fails too is kept with it, as the lesser news. */
    private SQLException rolledBack(SQLException failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    private Map<String, Integer> columnsOf(String sql) throws SQLException {
        return read(sql, rs -> {
            ResultSetMetaData meta = rs.getMetaData();
            Map<String, Integer> columns = new LinkedHashMap<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.put(meta.getColumnLabel(i), meta.getColumnType(i));
            }
            return columns;
        });
    }

    /** Reads what it needs from a result set. */
    @FunctionalInterface
    protected interface ResultReader<T> {
        T read(ResultSet rs) throws SQLException;
    }
}
