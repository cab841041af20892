package org.runbooks.backfill;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import org.runbooks.jdbc.TwoDatabases;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.runbooks.jdbc.TwoDatabases.LEGACY;
import static org.runbooks.jdbc.TwoDatabases.numbers;

/**
 * The backfill tests' world: two H2 databases, a legacy {@code orders} table whose ids are 3, 6, ... (keys with
 * gaps, as real tables have), and activity environments to copy with. Each {@link #copier()} is a fresh
 * environment, as each attempt of a real activity is, so a cancelled one does not cancel the next.
 */
public final class BackfillFixture implements AutoCloseable {

    public static final String ORDERS_COLUMNS = "id bigint primary key, customer varchar(100) not null,"
            + " amount decimal(12, 2) not null, placed_at timestamp not null, note varchar(200)";

    /** One attempt, and a heartbeat timeout so that heartbeats are sent every 0.8 s rather than every 30 s. */
    public static final ActivityOptions ONE_ATTEMPT = ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(1))
            .setHeartbeatTimeout(Duration.ofSeconds(30))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build();

    public final TwoDatabases db = new TwoDatabases();
    private final List<TestActivityEnvironment> environments = new ArrayList<>();

    /** An activity environment with its stub; {@code heartbeats} collects every checkpoint it reports. */
    public record Copier(TestActivityEnvironment env, BackfillActivities backfill, List<BackfillCheckpoint> heartbeats) {
    }

    /** Creates {@code orders} on legacy with {@code rows} rows, ids 3 to 3 * rows. */
    public BackfillFixture withOrders(int rows) {
        db.execute(LEGACY, "create table orders (" + ORDERS_COLUMNS + ")",
                "insert into orders select x * 3, 'customer-' || mod(x, 97), x * 1.25,"
                        + " timestamp '2024-01-01 00:00:00' + x * interval '1' minute,"
                        + " case when mod(x, 10) = 0 then null else 'note ' || x || ' é' end"
                        + " from " + numbers(1, rows));
        return this;
    }

    public Copier copier() {
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        environments.add(env);
        env.registerActivitiesImplementations(new BackfillActivitiesImpl(db.registry));
        List<BackfillCheckpoint> heartbeats = Collections.synchronizedList(new ArrayList<>());
        env.setActivityHeartbeatListener(BackfillCheckpoint.class, heartbeats::add);
        return new Copier(env, env.newActivityStub(BackfillActivities.class, ONE_ATTEMPT), heartbeats);
    }

    /** Rows the chunk audit records for a copy, over all its key ranges. */
    public long auditedRows(String copyKey) {
        return db.count(TwoDatabases.TARGET, "select coalesce(sum(row_count), 0) from runbook_copy_chunks"
                + " where copy_key = '" + copyKey + "' or copy_key like '" + copyKey + "#range-%'");
    }

    @Override
    public void close() {
        environments.forEach(TestActivityEnvironment::close);
        db.close();
    }
}
