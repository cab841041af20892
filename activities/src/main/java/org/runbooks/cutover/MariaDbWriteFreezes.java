package org.runbooks.cutover;

import org.runbooks.cutover.WriteFreezes.FreezeBlockedException;
import org.runbooks.jdbc.dialect.Dialect;
import org.runbooks.parse.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * MariaDB: on each table three triggers, before insert, update and delete ({@code rbfreeze_<freeze>_<table>_i},
 * {@code _u}, {@code _d}), each {@code SIGNAL SQLSTATE '45000'}. {@code CREATE TRIGGER} takes the table's exclusive
 * metadata lock, which waits for every open transaction that has touched the table. MariaDB commits each
 * {@code CREATE TRIGGER} on its own, so a freeze that cannot finish drops the triggers it did install. TRUNCATE
 * fires no trigger on MariaDB and is not refused.
 */
final class MariaDbWriteFreezes implements WriteFreezes {

    /** ER_LOCK_WAIT_TIMEOUT: a metadata lock wait ran past lock_wait_timeout. */
    private static final int LOCK_WAIT_TIMEOUT = 1205;

    /** MESSAGE_TEXT holds at most 128 characters. */
    private static final int MESSAGE_MAX = 128;

    private final Dialect dialect;

    MariaDbWriteFreezes(Dialect dialect) {
        this.dialect = dialect;
    }

    static String prefix(String freezeId) {
        return "rbfreeze_" + WriteFreezes.hash(freezeId) + "_";
    }

    @Override
    public Installed freeze(Connection c, String freezeId, List<String> tables, long lockTimeoutMillis)
            throws SQLException {
        List<String> waitedFor = openTransactions(c);
        List<String> installed = new ArrayList<>();
        List<String> created = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            if (lockTimeoutMillis > 0) {
                st.execute("set session lock_wait_timeout = " + Math.max(1, (lockTimeoutMillis + 999) / 1000));
            }
            for (String table : tables) {
                String schema = schemaOf(c, table);
                String base = prefix(freezeId) + WriteFreezes.hash(table).substring(0, 6);
                boolean any = false;
                for (String[] event : new String[][] {{"i", "insert"}, {"u", "update"}, {"d", "delete"}}) {
                    String trigger = base + "_" + event[0];
                    if (exists(c, schema, trigger)) {
                        continue;
                    }
                    String message = FreezeRequest.MESSAGE_PREFIX + ": writes to " + table
                            + " are frozen for a cutover (" + freezeId + ")";
                    if (message.length() > MESSAGE_MAX) {
                        message = message.substring(0, MESSAGE_MAX);
                    }
                    st.execute("create trigger " + dialect.quote(schema) + "." + dialect.quote(trigger) + " before "
                            + event[1] + " on " + dialect.quoteTable(table) + " for each row signal sqlstate '"
                            + FreezeRequest.MARIADB_SQLSTATE + "' set message_text = " + dialect.literal(message));
                    created.add(dialect.quote(schema) + "." + dialect.quote(trigger));
                    any = true;
                }
                if (any) {
                    installed.add("triggers " + base + "_i/_u/_d on " + table);
                }
            }
            c.commit();
        } catch (SQLException e) {
            undo(c, created);
            if (e.getErrorCode() == LOCK_WAIT_TIMEOUT) {
                List<String> holding = openTransactions(c);
                throw new FreezeBlockedException("could not freeze " + String.join(", ", tables) + " within "
                        + lockTimeoutMillis + " ms: open transactions did not end ("
                        + (holding.isEmpty() ? "they have ended since" : String.join("; ", holding))
                        + "); nothing was installed");
            }
            throw e;
        }
        return new Installed(installed, waitedFor);
    }

    private static void undo(Connection c, List<String> created) {
        for (String trigger : created) {
            try (Statement st = c.createStatement()) {
                st.execute("drop trigger if exists " + trigger);
            } catch (SQLException ignored) {
                // the thaw, the freeze's compensation, removes whatever is left
            }
        }
    }

    @Override
    public List<String> thaw(Connection c, String freezeId) throws SQLException {
        List<String[]> triggers = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select trigger_schema, trigger_name, event_object_table "
                + "from information_schema.triggers where trigger_name like ? order by 3, 2")) {
            ps.setString(1, prefix(freezeId).replace("_", "\\_") + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    triggers.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
        }
        List<String> removed = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            for (String[] t : triggers) {
                st.execute("drop trigger if exists " + dialect.quote(t[0]) + "." + dialect.quote(t[1]));
                removed.add("trigger " + t[1] + " on " + t[0] + "." + t[2]);
            }
        }
        c.commit();
        return removed;
    }

    private static String schemaOf(Connection c, String table) throws SQLException {
        List<String> parts = Identifiers.tableParts(table);
        if (parts != null && parts.size() == 2) {
            return parts.get(0);
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select database()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static boolean exists(Connection c, String schema, String trigger) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from information_schema.triggers "
                + "where trigger_schema = ? and trigger_name = ?")) {
            ps.setString(1, schema);
            ps.setString(2, trigger);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * The other sessions' open InnoDB transactions: MariaDB does not say which tables each touched, so these are the
     * transactions the freeze may have waited for. Said by thread, user, age and command, never by their SQL.
     */
    private static List<String> openTransactions(Connection c) throws SQLException {
        List<String> found = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select t.trx_mysql_thread_id, "
                + "p.user, timestampdiff(second, t.trx_started, now()), p.command from information_schema.innodb_trx t "
                + "left join information_schema.processlist p on p.id = t.trx_mysql_thread_id "
                + "where t.trx_mysql_thread_id <> connection_id() order by 1")) {
            while (rs.next()) {
                found.add(String.format(Locale.ROOT, "thread %d (user %s, transaction open %d s, %s)",
                        rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4)));
            }
        }
        return found;
    }
}
