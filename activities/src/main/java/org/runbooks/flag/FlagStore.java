package org.runbooks.flag;

import org.runbooks.jdbc.BookkeepingTables;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The flag tables on a connection: {@code runbook_flags} holds each flag's percent (0 off, 100 on), and
 * {@code runbook_flag_changes} records every change under its idempotency key with the value it replaced.
 */
public final class FlagStore {

    private static final String[] DDL = {
        "create table if not exists runbook_flags (name varchar(200) primary key, percent int not null,"
            + " updated_at timestamp not null default current_timestamp, updated_by varchar(512))",
        "create table if not exists runbook_flag_changes (change_key varchar(512) primary key,"
            + " name varchar(200) not null, existed boolean not null, previous_percent int, new_percent int not null,"
            + " changed_at timestamp not null default current_timestamp, restored boolean not null default false)",
    };

    private FlagStore() {
    }

    public static void ensureTables(Connection connection) throws SQLException {
        BookkeepingTables.create(connection, DDL);
    }
}
