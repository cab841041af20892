package org.runbooks.preflight;

import org.runbooks.jdbc.dialect.Dialect;
import org.runbooks.parse.Identifiers;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * MariaDB (and MySQL): InnoDB's {@code information_schema.tables.table_rows} estimate for large tables, and
 * {@code EXPLAIN} for queries, which parses a statement and resolves its names without running it (a prepared
 * statement would not: the driver prepares on the client).
 */
final class MariaDbCatalog extends Catalog {

    /** ER_BAD_DB_ERROR: the schema of {@code schema.table} does not exist (its SQLState, 42000, says little). */
    private static final int UNKNOWN_DATABASE = 1049;

    MariaDbCatalog(Connection connection, Dialect dialect) {
        super(connection, dialect);
    }

    /** Counted below {@link PostgresCatalog#COUNT_BELOW} estimated rows, as on PostgreSQL; estimated above. */
    @Override
    RowCount tableRows(String table) throws SQLException {
        String quoted = dialect.quoteTable(table);
        List<String> parts = Identifiers.tableParts(table);
        String schema = parts.size() == 2 ? dialect.literal(parts.get(0)) : "database()";
        long estimate = read("select table_rows from information_schema.tables where table_schema = " + schema
                + " and table_name = " + dialect.literal(parts.getLast()), rs -> rs.next() ? rs.getLong(1) : -1);
        return estimate >= PostgresCatalog.COUNT_BELOW ? new RowCount(estimate, false) : count(quoted);
    }

    /** The largest {@code rows} of the query's plan: the planner's guess, as PostgreSQL's is. */
    @Override
    RowCount queryRows(String query) throws SQLException {
        long rows = read("explain " + withoutSemicolon(query), rs -> {
            long most = 0;
            while (rs.next()) {
                most = Math.max(most, rs.getLong("rows"));
            }
            return most;
        });
        return new RowCount(rows, false);
    }

    @Override
    void checkParses(String sql) throws SQLException {
        read("explain " + withoutSemicolon(sql), rs -> null);
    }

    /** MariaDB's schemas are JDBC catalogs. */
    @Override
    protected ResultSet indexInfo(DatabaseMetaData meta, String schema, String name) throws SQLException {
        return meta.getIndexInfo(schema == null ? connection.getCatalog() : schema, null, name, true, true);
    }

    /** 42S02 ER_NO_SUCH_TABLE, or an unknown schema. */
    @Override
    boolean isMissingTable(SQLException e) {
        return "42S02".equals(e.getSQLState()) || e.getErrorCode() == UNKNOWN_DATABASE;
    }
}
