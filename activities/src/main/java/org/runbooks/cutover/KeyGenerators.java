package org.runbooks.cutover;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/** How one database generates a table's keys: which columns it fills, what comes next, and how to move it on. */
interface KeyGenerators {

    /** The columns of {@code table} the database fills, each with what fills it (a sequence, AUTO_INCREMENT). */
    Map<String, String> generated(Connection c, String table) throws SQLException;

    /** The value {@code generator} hands out next. */
    long next(Connection c, String table, String generator) throws SQLException;

    /** Makes {@code generator} hand out {@code next} next. */
    void moveTo(Connection c, String table, String generator, long next) throws SQLException;

    /** The largest value of {@code column}, 0 when the table is empty. */
    long max(Connection c, String table, String column) throws SQLException;
}
