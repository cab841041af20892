package org.runbooks.flag;

import io.temporal.activity.Activity;
import org.runbooks.api.FlagRestore;
import org.runbooks.jdbc.Failures;
import org.runbooks.jdbc.KeepAlive;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Flags in a table on the target, with every change recorded so that it can be undone exactly once. Both calls
 * heartbeat ({@link KeepAlive}) while they wait on the database, for instance on a row lock: a restore is a
 * compensation, and a change learns of a rollback's cancel, which stops its statement so it cannot commit after the
 * restore. A restore puts the old value back only while the flag still holds the value the change set.
 */
public class FlagActivitiesImpl implements FlagActivities {

    private static final Logger log = LoggerFactory.getLogger(FlagActivitiesImpl.class);

    private final ConnectionRegistry connections;

    public FlagActivitiesImpl(ConnectionRegistry connections) {
        this.connections = connections;
    }

    @Override
    public FlagValue setFlag(FlagChange change) {
        KeepAlive alive = KeepAlive.start(Activity.getExecutionContext());
        try (alive; Connection c = connections.open(change.connection())) {
            FlagStore.ensureTables(c);
            FlagValue recorded = recordedPrevious(c, change.idempotencyKey());
            if (recorded != null) {
                log.info("flag={} change {} was already made; returning the value it replaced", change.name(),
                        change.idempotencyKey());
                c.commit();
                return recorded;
            }
            FlagValue previous = current(c, change.name(), alive);
            try (PreparedStatement ps = c.prepareStatement("insert into runbook_flag_changes (change_key, name,"
                    + " existed, previous_percent, new_percent) values (?, ?, ?, ?, ?)")) {
                ps.setString(1, change.idempotencyKey());
                ps.setString(2, change.name());
                ps.setBoolean(3, previous.existed());
                ps.setObject(4, previous.existed() ? previous.percent() : null, java.sql.Types.INTEGER);
                ps.setInt(5, change.percent());
                ps.executeUpdate();
            }
            write(c, change.name(), change.percent(), change.changedBy(), previous.existed(), alive);
            alive.throwIfCancelled();
            c.commit();
            log.info("flag={} set to {}% (was {})", change.name(), change.percent(),
                    previous.existed() ? previous.percent() + "%" : "absent");
            return previous;
        } catch (Exception e) {
            throw Failures.of(alive.cancellationOr(e));
        }
    }

    @Override
    public String restoreFlag(FlagRestore restore) {
        try (KeepAlive alive = KeepAlive.start(Activity.getExecutionContext());
             Connection c = connections.open(restore.connection())) {
            FlagStore.ensureTables(c);
            try (PreparedStatement ps = c.prepareStatement("select existed, previous_percent, new_percent, restored"
                    + " from runbook_flag_changes where change_key = ?")) {
                ps.setString(1, restore.changeKey());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        c.commit();
                        return "nothing to restore: flag " + restore.name() + " was never changed by this step";
                    }
                    FlagValue before = new FlagValue(rs.getBoolean(1), rs.getInt(2));
                    int set = rs.getInt(3);
                    String what = before.existed()
                            ? "restored flag " + restore.name() + " to " + before.percent() + "%"
                            : "removed flag " + restore.name() + " (it did not exist before)";
                    if (rs.getBoolean(4)) {
                        c.commit();
                        return what;
                    }
                    FlagValue now = current(c, restore.name(), alive);
                    if (!now.existed() || now.percent() != set) {
                        c.commit();
                        String conflict = "conflict: flag " + restore.name() + " is " + (now.existed() ? "at " : "")
                                + describe(now) + ", not the " + set + "% this step set; left as it is (it was "
                                + describe(before) + " before)";
                        log.warn("flag={} {}", restore.name(), conflict);
                        return conflict;
                    }
                    if (before.existed()) {
                        write(c, restore.name(), before.percent(), restore.changedBy(), true, alive);
                    } else {
                        try (PreparedStatement del = c.prepareStatement("delete from runbook_flags where name = ?")) {
                            del.setString(1, restore.name());
                            del.executeUpdate();
                        }
                    }
                    try (PreparedStatement mark = c.prepareStatement(
                            "update runbook_flag_changes set restored = true where change_key = ?")) {
                        mark.setString(1, restore.changeKey());
                        mark.executeUpdate();
                    }
                    c.commit();
                    log.info("flag={} {}", restore.name(), what);
                    return what;
                }
            }
        } catch (Exception e) {
            throw Failures.of(e);
        }
    }

    private static String describe(FlagValue value) {
        return value.existed() ? value.percent() + "%" : "absent";
    }

    private static FlagValue recordedPrevious(Connection c, String changeKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select existed, previous_percent from runbook_flag_changes where change_key = ?")) {
            ps.setString(1, changeKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new FlagValue(rs.getBoolean(1), rs.getInt(2)) : null;
            }
        }
    }

    /** The flag's value, locked until the transaction ends; the wait for that lock is what a cancel stops. */
    private static FlagValue current(Connection c, String name, KeepAlive alive) throws SQLException {
        try (PreparedStatement ps = alive.cancels(
                c.prepareStatement("select percent from runbook_flags where name = ? for update"))) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new FlagValue(true, rs.getInt(1)) : FlagValue.absent();
            }
        }
    }

    private static void write(Connection c, String name, int percent, String by, boolean exists, KeepAlive alive)
            throws SQLException {
        String sql = exists
                ? "update runbook_flags set percent = ?, updated_by = ?, updated_at = current_timestamp where name = ?"
                : "insert into runbook_flags (percent, updated_by, name) values (?, ?, ?)";
        try (PreparedStatement ps = alive.cancels(c.prepareStatement(sql))) {
            ps.setInt(1, percent);
            ps.setString(2, by);
            ps.setString(3, name);
            ps.executeUpdate();
        }
    }
}
