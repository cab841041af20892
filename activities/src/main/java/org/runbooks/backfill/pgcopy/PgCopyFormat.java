package org.runbooks.backfill.pgcopy;

import org.runbooks.jdbc.dialect.Dialect;
import org.runbooks.jdbc.dialect.Relation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Which {@code COPY} format carries a copy's rows. Binary is the faster (no text rendering and parsing), but a
 * binary value is only readable as the very type that wrote it, and arrays and records embed their element types'
 * OIDs, which differ between databases for types a user created. So binary is used only when every column has the
 * same type on both sides, and that type is built in (its OID is the same in every database) or an enum (whose
 * binary form is its label); any other column makes the whole copy use text, which every type reads back exactly.
 */
enum PgCopyFormat {
    BINARY("binary"),
    TEXT("text");

    /** OIDs below this are assigned by PostgreSQL itself, identically in every database (FirstNormalObjectId). */
    private static final long FIRST_USER_OID = 16_384;

    private final String option;

    PgCopyFormat(String option) {
        this.option = option;
    }

    /** The {@code FORMAT} option of a {@code COPY} statement. */
    String option() {
        return option;
    }

    /** Compares the types of the columns read (in order) with those of the target columns they land in. */
    static PgCopyFormat choose(Connection source, Dialect from, Relation relation, List<String> sourceColumns,
                               Connection target, Dialect to, String targetTable, List<String> targetColumns)
            throws SQLException {
        List<String> read = typeNames(source, from, relation, sourceColumns);
        List<String> written = typeNames(target, "select " + to.columnList(targetColumns) + " from "
                + to.quoteTable(targetTable) + " where 1 = 0");
        for (int i = 0; i < read.size(); i++) {
            if (!read.get(i).equals(written.get(i)) || !portable(source, read.get(i))
                    || !portable(target, written.get(i))) {
                return TEXT;
            }
        }
        return BINARY;
    }

    /** The type name of each of {@code columns} of {@code relation}, in order, as {@code pg_type} names them. */
    static List<String> typeNames(Connection connection, Dialect dialect, Relation relation, List<String> columns)
            throws SQLException {
        return typeNames(connection, "select " + dialect.columnList(columns) + " from " + dialect.relation(relation)
                + " where 1 = 0");
    }

    private static List<String> typeNames(Connection connection, String noRows) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(noRows)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                names.add(meta.getColumnTypeName(i));
            }
            return names;
        }
    }

    private static boolean portable(Connection connection, String typeName) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "select oid::bigint, typtype from pg_type where oid = to_regtype(?)")) {
            ps.setString(1, typeName);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && (rs.getLong(1) < FIRST_USER_OID || "e".equals(rs.getString(2)));
            }
        }
    }
}
