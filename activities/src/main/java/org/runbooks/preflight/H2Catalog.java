package org.runbooks.preflight;

import org.runbooks.jdbc.dialect.Dialect;

import java.sql.Connection;
import java.sql.SQLException;

/** H2, the demo's embedded databases: small enough to count exactly; a prepared statement is a parsed one. */
final class H2Catalog extends Catalog {

    H2Catalog(Connection connection, Dialect dialect) {
        super(connection, dialect);
    }

    @Override
    RowCount tableRows(String table) throws SQLException {
        return count(dialect.quoteTable(table));
    }

    @Override
    RowCount queryRows(String query) throws SQLException {
        return count("(" + withoutSemicolon(query) + ") q");
    }

    @Override
    void checkParses(String sql) throws SQLException {
        prepare(withoutSemicolon(sql));
    }

    /** 42S02 table not found, 42S03/42S04 the same with hints; 90079 schema not found. */
    @Override
    boolean isMissingTable(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("42S0") || state.equals("90079"));
    }
}
