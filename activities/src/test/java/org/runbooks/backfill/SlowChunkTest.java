package org.runbooks.backfill;

import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.h2.api.Trigger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.runbooks.jdbc.RealTimeTemporal;
import org.runbooks.jdbc.TwoDatabases;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.TableRef;
import org.runbooks.step.StepOptions;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.jdbc.TwoDatabases.LEGACY;
import static org.runbooks.jdbc.TwoDatabases.TARGET;
import static org.runbooks.jdbc.TwoDatabases.numbers;

/**
 * A chunk slower than the copy's heartbeat timeout: the copy heartbeats while the chunk is written, so its one
 * attempt succeeds, and the next chunk is smaller, so chunks come back under the latency a copy aims for. The target
 * takes 8 ms to write each row (a trigger), so the first 400-row chunk takes over 3 s against a heartbeat timeout cut
 * to 1 s.
 */
public class SlowChunkTest {

    private static final String QUEUE = "slow-chunk";

    @WorkflowInterface
    public interface Copy {
        @WorkflowMethod
        BackfillResult copy(BackfillRequest request);
    }

    public static class CopyImpl implements Copy {
        private final BackfillActivities backfill = Workflow.newActivityStub(BackfillActivities.class,
                ActivityOptions.newBuilder(StepOptions.backfill())
                        .setHeartbeatTimeout(Duration.ofSeconds(1))
                        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                        .build());

        @Override
        public BackfillResult copy(BackfillRequest request) {
            return backfill.copyTable(request);
        }
    }

    /** Writing a row into the target takes 8 ms. */
    public static class SlowWrite implements Trigger {
        @Override
        public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws java.sql.SQLException {
            try {
                Thread.sleep(8);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.sql.SQLException("interrupted", e);
            }
        }
    }

    private TwoDatabases db;
    private TestWorkflowEnvironment env;

    @BeforeEach
    void setUp() {
        db = new TwoDatabases();
        db.execute(LEGACY, "create table orders (id bigint primary key, note varchar(40))",
                "insert into orders select x, 'note ' || x from " + numbers(1, 700));
        db.execute(TARGET, "create table orders_v2 (id bigint primary key, note varchar(40))",
                "create trigger slow_write before insert on orders_v2 for each row call \""
                        + SlowWrite.class.getName() + "\"");
        env = RealTimeTemporal.start(QUEUE, CopyImpl.class, new BackfillActivitiesImpl(db.registry));
    }

    @AfterEach
    void tearDown() {
        env.close();
        db.close();
    }

    @Test
    void aChunkSlowerThanTheHeartbeatTimeoutSucceedsAndTheNextChunksAreSmaller() {
        Copy copy = env.getWorkflowClient().newWorkflowStub(Copy.class,
                WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("copy-slowly").build());
        BackfillStep step = new BackfillStep("copy", new TableRef(LEGACY, "orders"), new TableRef(TARGET, "orders_v2"),
                List.of("id"), 400, BackfillRollback.KEEP);

        BackfillResult result = copy.copy(new BackfillRequest("run/copy", "rb", step));

        assertThat(result.rowsCopied()).isEqualTo(700);
        // 400 rows took over 3 s, past the 2 s a chunk aims for: the next chunk is half as big.
        assertThat(db.rows(TARGET, "select row_count from runbook_copy_chunks order by chunk_no"))
                .containsExactly(List.of(400), List.of(200), List.of(100));
        assertThat(db.rows(TARGET, "select id, note from orders_v2 order by id"))
                .isEqualTo(db.rows(LEGACY, "select id, note from orders order by id"));
    }

    @Test
    void theNextSliceOfASlowRangeStartsAtTheSizeLatencyCutItTo() {
        TestActivityEnvironment activities = TestActivityEnvironment.newInstance();
        try {
            activities.registerActivitiesImplementations(new BackfillActivitiesImpl(db.registry));
            BackfillActivities backfill = activities.newActivityStub(BackfillActivities.class, BackfillFixture.ONE_ATTEMPT);
            BackfillStep step = new BackfillStep("copy", new TableRef(LEGACY, "orders"), null,
                    new TableRef(TARGET, "orders_v2"), List.of("id"), Map.of(), 400, 1, 0, BackfillRollback.KEEP);
            CopyPlan plan = backfill.planCopy(new CopyPlanRequest("run/copy", "rb", step, 1));

            // One chunk per slice: the first, of 400 rows, takes over 3 s.
            SliceResult first = backfill.copySlice(new SliceRequest("run/copy", "rb", step, plan.ranges().get(0),
                    plan.cursors().get(0), 400, 0, 1, 60_000));
            backfill.copySlice(new SliceRequest("run/copy", "rb", step, plan.ranges().get(0), first.cursor(), 400, 0,
                    1, 60_000));

            // The second slice starts at the 200 rows the first one's slow chunk cut the size to (not at 400 again).
            assertThat(db.rows(TARGET, "select row_count from runbook_copy_chunks order by chunk_no"))
                    .containsExactly(List.of(400), List.of(200));
            assertThat(db.rows(TARGET, "select chunk_rows from runbook_copy_progress")).containsExactly(List.of(200));
        } finally {
            activities.close();
        }
    }
}
