package org.runbooks.activities;

import org.runbooks.dialect.Dialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads what a table looks like: its columns in order, and its row count. */
final class Tables {

    private Tables() {
    }

    static List<String> columns(Connection connection, Dialect dialect, String table) throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("select * from " + dialect.quoteTable(table) + " where 1 = 0")) {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnName(i).toLowerCase(java.util.Locale.ROOT));
            }
            return columns;
        }
    }

    static long count(Connection connection, Dialect dialect, String table) throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from " + dialect.quoteTable(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
