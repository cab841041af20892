package org.runbooks.jdbc;

import org.runbooks.jdbc.dialect.Dialect;
import org.runbooks.jdbc.dialect.Relation;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads what a table or a query looks like: its columns in order with their JDBC types, and a table's row count. */
public final class Tables {

    private Tables() {
    }

    public static List<String> columns(Connection connection, Dialect dialect, String table) throws SQLException {
        return columns(connection, dialect, Relation.table(table));
    }

    public static List<String> columns(Connection connection, Dialect dialect, Relation relation) throws SQLException {
        return List.copyOf(columnTypes(connection, dialect, relation).keySet());
    }

    /**
     * Column name, exactly as the database reports it and so as the copy quotes it ({@code ShipDate} stays
     * {@code ShipDate}), to its {@link java.sql.Types} code. Labels, not names, so a query's
     * {@code amount * 100 as cents} is {@code cents}.
     */
    public static Map<String, Integer> columnTypes(Connection connection, Dialect dialect, Relation relation)
            throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(dialect.noRows(relation))) {
            ResultSetMetaData meta = rs.getMetaData();
            Map<String, Integer> columns = new LinkedHashMap<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.put(meta.getColumnLabel(i), meta.getColumnType(i));
            }
            return columns;
        }
    }

    public static long count(Connection connection, Dialect dialect, String table) throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from " + dialect.quoteTable(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
