package org.runbooks.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Creates the worker's own tables (copy progress, flags, SQL runs) with {@code create table if not exists}, safely
 * when two runbooks do it on one database at the same moment: PostgreSQL checks "if not exists" before it inserts
 * the table's catalog rows, so the slower of two sessions fails with a unique violation on {@code pg_type} (SQLState
 * 23505), or "relation/type ... already exists" (42P07, 42710), although the table is there. Such a failure is rolled back and the statements
 * run again, and then find the table. The demo met it with two runbooks planning copies into one target.
 */
public final class BookkeepingTables {

    private BookkeepingTables() {
    }

    /** Runs {@code ddl} in order on {@code connection} (not in autocommit) and commits. */
    public static void create(Connection connection, String... ddl) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (Statement st = connection.createStatement()) {
                for (String statement : ddl) {
                    st.execute(statement);
                }
                connection.commit();
                return;
            } catch (SQLException e) {
                // Each lost race leaves one more table in place, so a statement can lose at most once.
                if (attempt > ddl.length || !lostCreateRace(e)) {
                    throw e;
                }
                connection.rollback();
            }
        }
    }

    private static boolean lostCreateRace(SQLException e) {
        return switch (String.valueOf(e.getSQLState())) {
            case "23505", "42P07", "42710" -> true;
            default -> false;
        };
    }
}
