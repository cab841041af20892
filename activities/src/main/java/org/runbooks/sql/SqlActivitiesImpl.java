package org.runbooks.sql;

import io.temporal.activity.Activity;
import org.runbooks.api.SqlRun;
import org.runbooks.jdbc.Failures;
import org.runbooks.jdbc.KeepAlive;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Runs a runbook's {@code apply} or {@code revert} statement in one transaction with its record in
 * {@link SqlRunStore}, heartbeating ({@link KeepAlive}) while it runs: a revert is a compensation, whose heartbeat
 * timeout a slow statement would otherwise outlast, and an apply learns of a rollback's cancel through the heartbeat,
 * which cancels the statement so it cannot commit after the revert.
 */
public class SqlActivitiesImpl implements SqlActivities {

    private static final Logger log = LoggerFactory.getLogger(SqlActivitiesImpl.class);

    private final ConnectionRegistry connections;

    public SqlActivitiesImpl(ConnectionRegistry connections) {
        this.connections = connections;
    }

    @Override
    public String runSql(SqlRun run) {
        KeepAlive alive = KeepAlive.start(Activity.getExecutionContext());
        try (alive; Connection c = connections.open(run.connection())) {
            SqlRunStore.ensureTable(c);
            String skipped = skipped(c, run);
            if (skipped != null) {
                c.commit();
                log.info("sql {} on {} not run: {}", run.idempotencyKey(), run.connection(), skipped);
                return skipped;
            }
            try {
                try (Statement st = alive.cancels(c.createStatement())) {
                    if (run.lockTimeoutMillis() != null) {
                        // The step's own lock timeout, for this statement only (the connection closes after it).
                        for (String set : connections.dialect(run.connection())
                                .sessionTimeouts(Duration.ofMillis(run.lockTimeoutMillis()), null)) {
                            st.execute(set);
                        }
                    }
                    st.execute(run.sql());
                }
                SqlRunStore.record(c, run.idempotencyKey());
                alive.throwIfCancelled();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                // Another attempt of this run (one whose heartbeat was lost) may have committed it meanwhile.
                if (SqlRunStore.committed(c, run.idempotencyKey())) {
                    c.commit();
                    return alreadyRan(run);
                }
                throw e;
            }
            c.commit();
            log.info("sql {} ran on {}", run.idempotencyKey(), run.connection());
            return "ran";
        } catch (Exception e) {
            throw Failures.of(alive.cancellationOr(e));
        }
    }

    /** Why {@code run} must not run, or null when it must. */
    private static String skipped(Connection c, SqlRun run) throws SQLException {
        if (SqlRunStore.committed(c, run.idempotencyKey())) {
            return alreadyRan(run);
        }
        if (run.undoes() != null && !SqlRunStore.committed(c, run.undoes())) {
            return "nothing to revert: its apply never committed";
        }
        return null;
    }

    private static String alreadyRan(SqlRun run) {
        return "already ran: " + run.idempotencyKey() + " committed before";
    }
}
