package org.runbooks.cutover;

import org.runbooks.jdbc.dialect.Dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/** How one database generates a table's keys: which columns it fills, what comes next, and how to move it on. */
abstract class KeyGenerators {

    protected final Dialect dialect;

    KeyGenerators(Dialect dialect) {
        this.dialect = dialect;
    }

    /** The columns of {@code table} the database fills, each with what fills it (a sequence, AUTO_INCREMENT). */
    abstract Map<String, String> generated(Connection c, String table) throws SQLException;

    /** The value {@code generator} hands out next. */
    abstract long next(Connection c, String table, String generator) throws SQLException;

    /** Makes {@code generator} hand out {@code next} next. */
    abstract void moveTo(Connection c, String table, String generator, long next) throws SQLException;

    /** The largest value of {@code column}, 0 when the table is empty. */
    final long max(Connection c, String table, String column) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("select coalesce(max(" + dialect.quote(column) + "), 0) from "
                + dialect.quoteTable(table)); ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
