package org.runbooks.sql;

import org.runbooks.jdbc.BookkeepingTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The runbook SQL that committed on a connection: {@code runbook_sql_runs} holds the idempotency key of every apply and
 * revert that ran there, written in the statement's own transaction, so a retry never runs it twice and a revert can
 * tell whether its apply ever committed.
 */
public final class SqlRunStore {

    private static final String DDL = "create table if not exists runbook_sql_runs (run_key varchar(512) primary key,"
            + " ran_at timestamp not null default current_timestamp)";

    private SqlRunStore() {
    }

    public static void ensureTable(Connection connection) throws SQLException {
        BookkeepingTables.create(connection, DDL);
    }

    static boolean committed(Connection connection, String key) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("select 1 from runbook_sql_runs where run_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Records {@code key} in the open transaction; an attempt that recorded it first makes this fail on the key. */
    static void record(Connection connection, String key) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("insert into runbook_sql_runs (run_key) values (?)")) {
            ps.setString(1, key);
            ps.executeUpdate();
        }
    }
}
