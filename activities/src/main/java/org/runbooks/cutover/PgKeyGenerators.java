package org.runbooks.cutover;

import org.runbooks.jdbc.dialect.Dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** PostgreSQL: serial and identity columns, each fed by a sequence the column owns. */
final class PgKeyGenerators extends KeyGenerators {

    PgKeyGenerators(Dialect dialect) {
        super(dialect);
    }

    @Override
    public Map<String, String> generated(Connection c, String table) throws SQLException {
        String quoted = dialect.quoteTable(table);
        Map<String, String> columns = new LinkedHashMap<>();
        try (PreparedStatement st = c.prepareStatement("select a.attname, pg_get_serial_sequence(?, a.attname) "
                + "from pg_attribute a where a.attrelid = ?::regclass and a.attnum > 0 and not a.attisdropped "
                + "order by a.attnum")) {
            st.setString(1, quoted);
            st.setString(2, quoted);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(2) != null) {
                        columns.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        return columns;
    }

    @Override
    public long next(Connection c, String table, String sequence) throws SQLException {
        // The sequence's name as PostgreSQL prints it (quoted where it must be): only a real sequence passes.
        String name;
        long increment;
        try (PreparedStatement st = c.prepareStatement("select s.seqrelid::regclass::text, s.seqincrement from "
                + "pg_sequence s where s.seqrelid = ?::regclass")) {
            st.setString(1, sequence);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException(sequence + " is not a sequence");
                }
                name = rs.getString(1);
                increment = rs.getLong(2);
            }
        }
        try (PreparedStatement st = c.prepareStatement("select last_value, is_called from " + name);
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getBoolean(2) ? rs.getLong(1) + increment : rs.getLong(1);
        }
    }

    @Override
    public void moveTo(Connection c, String table, String sequence, long next) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("select setval(?::regclass, ?, false)")) {
            st.setString(1, sequence);
            st.setLong(2, next);
            st.executeQuery().close();
        }
    }
}
