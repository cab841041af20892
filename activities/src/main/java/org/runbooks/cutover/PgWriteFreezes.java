package org.runbooks.cutover;

import org.runbooks.cutover.WriteFreezes.FreezeBlockedException;
import org.runbooks.jdbc.dialect.Dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PostgreSQL: one trigger function per freeze ({@code runbooks_freeze_<hash>}) raising SQLSTATE
 * {@value FreezeRequest#POSTGRES_SQLSTATE}, and on each table a row trigger before insert, update and delete plus a
 * statement trigger before truncate, both named after the function. All are created in one transaction, whose
 * {@code CREATE TRIGGER} waits (SHARE ROW EXCLUSIVE) for every transaction holding the table's ROW EXCLUSIVE lock,
 * i.e. every transaction that has written the table and not yet ended.
 */
final class PgWriteFreezes implements WriteFreezes {

    /** PostgreSQL's lock_not_available: a lock timeout. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    /** The lock modes a writing transaction holds on a table (and stronger ones). */
    private static final String WRITE_LOCKS = "'RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock', "
            + "'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'";

    private final Dialect dialect;

    PgWriteFreezes(Dialect dialect) {
        this.dialect = dialect;
    }

    static String name(String freezeId) {
        return "runbooks_freeze_" + WriteFreezes.hash(freezeId);
    }

    @Override
    public Installed freeze(Connection c, String freezeId, List<String> tables, long lockTimeoutMillis)
            throws SQLException {
        String name = name(freezeId);
        List<String> missing = new ArrayList<>();
        for (String table : tables) {
            if (!hasTrigger(c, table, name)) {
                missing.add(table);
            }
        }
        if (missing.isEmpty()) {
            c.rollback();
            return new Installed(List.of(), List.of());
        }
        List<String> waitedFor = writers(c, missing);
        List<String> installed = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            if (lockTimeoutMillis > 0) {
                st.execute("set local lock_timeout = " + lockTimeoutMillis);
            }
            st.execute("create or replace function " + name + "() returns trigger language plpgsql as $f$ begin "
                    + "raise exception using errcode = '" + FreezeRequest.POSTGRES_SQLSTATE + "', message = "
                    + dialect.literal(FreezeRequest.MESSAGE_PREFIX + " " + freezeId + ": writes to ")
                    + " || tg_table_schema || '.' || tg_table_name || "
                    + dialect.literal(" are frozen for a cutover; read the write flag again and retry") + "; "
                    + "end $f$");
            for (String table : missing) {
                String quoted = dialect.quoteTable(table);
                st.execute("create trigger " + name + " before insert or update or delete on " + quoted
                        + " for each row execute function " + name + "()");
                st.execute("create trigger " + name + "_truncate before truncate on " + quoted
                        + " for each statement execute function " + name + "()");
                installed.add("trigger " + name + " on " + table);
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                List<String> holding = writers(c, missing);
                c.rollback();
                throw new FreezeBlockedException("could not freeze " + String.join(", ", missing) + " within "
                        + lockTimeoutMillis + " ms: transactions writing them did not end ("
                        + (holding.isEmpty() ? "they have ended since" : String.join("; ", holding))
                        + "); nothing was installed");
            }
            throw e;
        }
        installed.add(0, "function " + name + "()");
        return new Installed(installed, waitedFor);
    }

    @Override
    public List<String> thaw(Connection c, String freezeId) throws SQLException {
        String name = name(freezeId);
        List<String> removed = new ArrayList<>();
        List<String[]> triggers = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select tgrelid::regclass::text, tgname from pg_trigger "
                + "where tgname in (?, ?) order by 1, 2")) {
            ps.setString(1, name);
            ps.setString(2, name + "_truncate");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    triggers.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        try (Statement st = c.createStatement()) {
            for (String[] t : triggers) {
                st.execute("drop trigger " + t[1] + " on " + t[0]);
                if (t[1].equals(name)) {
                    removed.add("trigger " + name + " on " + t[0]);
                }
            }
            try (ResultSet rs = st.executeQuery("select oid::regprocedure::text from pg_proc where proname = '"
                    + name + "'")) {
                List<String> functions = new ArrayList<>();
                while (rs.next()) {
                    functions.add(rs.getString(1));
                }
                for (String f : functions) {
                    st.execute("drop function " + f);
                    removed.add("function " + f);
                }
            }
        }
        c.commit();
        return removed;
    }

    private boolean hasTrigger(Connection c, String table, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from pg_trigger where tgrelid = ?::regclass "
                + "and tgname = ?")) {
            ps.setString(1, dialect.quoteTable(table));
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * The other sessions holding a write lock on any of {@code tables}: their transactions have written them and not
     * ended. Said by pid, user, application, age and state, never by their SQL (it may hold the application's data).
     */
    private List<String> writers(Connection c, List<String> tables) throws SQLException {
        List<String> found = new ArrayList<>();
        for (String table : tables) {
            try (PreparedStatement ps = c.prepareStatement("select distinct a.pid, a.usename, a.application_name, "
                    + "extract(epoch from now() - a.xact_start)::numeric(12,1)::text, a.state "
                    + "from pg_locks l join pg_stat_activity a on a.pid = l.pid "
                    + "where l.locktype = 'relation' and l.granted and l.relation = ?::regclass "
                    + "and l.mode in (" + WRITE_LOCKS + ") and l.pid <> pg_backend_pid() order by a.pid")) {
                ps.setString(1, dialect.quoteTable(table));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(String.format(Locale.ROOT, "pid %d on %s (user %s%s, transaction open %s s, %s)",
                                rs.getInt(1), table, rs.getString(2),
                                rs.getString(3) == null || rs.getString(3).isEmpty() ? ""
                                        : ", application " + rs.getString(3), rs.getString(4), rs.getString(5)));
                    }
                }
            }
        }
        return found;
    }
}
