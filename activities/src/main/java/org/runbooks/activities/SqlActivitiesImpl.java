package org.runbooks.activities;

import io.temporal.activity.Activity;
import org.runbooks.activity.SqlActivities;
import org.runbooks.activity.SqlRun;
import org.runbooks.connect.ConnectionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.Statement;

/**
 * Runs a runbook's {@code apply} or {@code revert} statement in one transaction, heartbeating ({@link KeepAlive})
 * while it runs: a revert is a compensation, whose heartbeat timeout a slow statement would otherwise outlast.
 */
public class SqlActivitiesImpl implements SqlActivities {

    private static final Logger log = LoggerFactory.getLogger(SqlActivitiesImpl.class);

    private final ConnectionRegistry connections;

    public SqlActivitiesImpl(ConnectionRegistry connections) {
        this.connections = connections;
    }

    @Override
    public void runSql(SqlRun run) {
        try (KeepAlive alive = KeepAlive.start(Activity.getExecutionContext());
             Connection c = connections.open(run.connection()); Statement st = c.createStatement()) {
            st.execute(run.sql());
            c.commit();
            log.info("sql {} ran on {}", run.idempotencyKey(), run.connection());
        } catch (Exception e) {
            throw Failures.of(e);
        }
    }
}
