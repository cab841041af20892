package org.runbooks.cutover;

import org.runbooks.jdbc.dialect.Dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/** MariaDB: the one AUTO_INCREMENT column a table may have. */
final class MariaDbKeyGenerators extends KeyGenerators {

    static final String AUTO_INCREMENT = "AUTO_INCREMENT";

    MariaDbKeyGenerators(Dialect dialect) {
        super(dialect);
    }

    /** {@code schema.name} or {@code name} (the connection's database) as the two values information_schema uses. */
    private static String[] split(String table) {
        int dot = table.indexOf('.');
        return dot < 0 ? new String[] {null, table} : new String[] {table.substring(0, dot), table.substring(dot + 1)};
    }

    @Override
    public Map<String, String> generated(Connection c, String table) throws SQLException {
        String[] name = split(table);
        Map<String, String> columns = new LinkedHashMap<>();
        try (PreparedStatement st = c.prepareStatement("select column_name from information_schema.columns where "
                + "table_schema = coalesce(?, database()) and table_name = ? and extra like '%auto_increment%'")) {
            st.setString(1, name[0]);
            st.setString(2, name[1]);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), AUTO_INCREMENT);
                }
            }
        }
        return columns;
    }

    @Override
    public long next(Connection c, String table, String generator) throws SQLException {
        String[] name = split(table);
        try (PreparedStatement st = c.prepareStatement("select auto_increment from information_schema.tables where "
                + "table_schema = coalesce(?, database()) and table_name = ?")) {
            st.setString(1, name[0]);
            st.setString(2, name[1]);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Math.max(1, rs.getLong(1)) : 1;
            }
        }
    }

    @Override
    public void moveTo(Connection c, String table, String generator, long next) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("alter table " + dialect.quoteTable(table) + " auto_increment = " + next);
        }
    }
}
