package org.runbooks.activities;

import io.temporal.activity.Activity;
import org.runbooks.activity.FlagActivities;
import org.runbooks.activity.FlagChange;
import org.runbooks.activity.FlagRestore;
import org.runbooks.activity.FlagValue;
import org.runbooks.connect.ConnectionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Flags in a table on the target, with every change recorded so that it can be undone exactly once. A restore is a
 * compensation: it heartbeats ({@link KeepAlive}) while it waits on the database, for instance on a row lock.
 */
public class FlagActivitiesImpl implements FlagActivities {

    private static final Logger log = LoggerFactory.getLogger(FlagActivitiesImpl.class);

    private final ConnectionRegistry connections;

    public FlagActivitiesImpl(ConnectionRegistry connections) {
        this.connections = connections;
    }

    @Override
    public FlagValue setFlag(FlagChange change) {
        try (KeepAlive alive = KeepAlive.start(Activity.getExecutionContext());
             Connection c = connections.open(change.connection())) {
            FlagStore.ensureTables(c);
            FlagValue recorded = recordedPrevious(c, change.idempotencyKey());
            if (recorded != null) {
                log.info("flag={} change {} was already made; returning the value it replaced", change.name(),
                        change.idempotencyKey());
                c.commit();
                return recorded;
            }
            FlagValue previous = current(c, change.name());
            try (PreparedStatement ps = c.prepareStatement("insert into runbook_flag_changes (change_key, name,"
                    + " existed, previous_percent, new_percent) values (?, ?, ?, ?, ?)")) {
                ps.setString(1, change.idempotencyKey());
                ps.setString(2, change.name());
                ps.setBoolean(3, previous.existed());
                ps.setObject(4, previous.existed() ? previous.percent() : null, java.sql.Types.INTEGER);
                ps.setInt(5, change.percent());
                ps.executeUpdate();
            }
            write(c, change.name(), change.percent(), change.changedBy(), previous.existed());
            c.commit();
            log.info("flag={} set to {}% (was {})", change.name(), change.percent(),
                    previous.existed() ? previous.percent() + "%" : "absent");
            return previous;
        } catch (Exception e) {
            throw Failures.of(e);
        }
    }

    @Override
    public String restoreFlag(FlagRestore restore) {
        try (KeepAlive alive = KeepAlive.start(Activity.getExecutionContext());
             Connection c = connections.open(restore.connection())) {
            FlagStore.ensureTables(c);
            try (PreparedStatement ps = c.prepareStatement("select existed, previous_percent, restored"
                    + " from runbook_flag_changes where change_key = ?")) {
                ps.setString(1, restore.changeKey());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        c.commit();
                        return "nothing to restore: flag " + restore.name() + " was never changed by this step";
                    }
                    boolean existed = rs.getBoolean(1);
                    int previous = rs.getInt(2);
                    if (existed) {
                        write(c, restore.name(), previous, restore.changedBy(), current(c, restore.name()).existed());
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
                    String what = existed ? "restored flag " + restore.name() + " to " + previous + "%"
                            : "removed flag " + restore.name() + " (it did not exist before)";
                    log.info("flag={} {}", restore.name(), what);
                    return what;
                }
            }
        } catch (Exception e) {
            throw Failures.of(e);
        }
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

    private static FlagValue current(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select percent from runbook_flags where name = ? for update")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new FlagValue(true, rs.getInt(1)) : FlagValue.absent();
            }
        }
    }

    private static void write(Connection c, String name, int percent, String by, boolean exists) throws SQLException {
        String sql = exists
                ? "update runbook_flags set percent = ?, updated_by = ?, updated_at = current_timestamp where name = ?"
                : "insert into runbook_flags (percent, updated_by, name) values (?, ?, ?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, percent);
            ps.setString(2, by);
            ps.setString(3, name);
            ps.executeUpdate();
        }
    }
}
