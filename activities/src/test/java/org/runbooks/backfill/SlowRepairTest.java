package org.runbooks.backfill;

import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.KeyRepairResult;
import org.runbooks.jdbc.RealTimeTemporal;
import org.runbooks.jdbc.TwoDatabases;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.TableRef;
import org.runbooks.step.StepOptions;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.jdbc.TwoDatabases.LEGACY;
import static org.runbooks.jdbc.TwoDatabases.TARGET;

/**
 * A key repair slower than its heartbeat timeout succeeds in its first attempt, against a Temporal test server that
 * enforces heartbeat timeouts in real time. The heartbeat timeout is cut from the 30 s of
 * {@link StepOptions#repair} to 1 s, and the attempts to one, so the test is quick and cannot pass by retrying. The
 * source is a query whose key column takes 150 ms a row, so reading four keys takes over two seconds.
 */
public class SlowRepairTest {

    private static final String QUEUE = "slow-repair";

    @WorkflowInterface
    public interface Repair {
        @WorkflowMethod
        KeyRepairResult repair(KeyRepairRequest request);
    }

    public static class RepairImpl implements Repair {
        private final BackfillActivities backfill = Workflow.newActivityStub(BackfillActivities.class,
                ActivityOptions.newBuilder(StepOptions.repair("repair parity"))
                        .setHeartbeatTimeout(Duration.ofSeconds(1))
                        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                        .build());

        @Override
        public KeyRepairResult repair(KeyRepairRequest request) {
            return backfill.repairKeys(request);
        }
    }

    /** The source query's key: the id, after 150 ms. */
    public static long slowId(long id) throws InterruptedException {
        Thread.sleep(150);
        return id;
    }

    private TwoDatabases db;
    private TestWorkflowEnvironment env;

    @BeforeEach
    void setUp() {
        db = new TwoDatabases();
        db.execute(LEGACY, "create table orders (id bigint primary key, note varchar(40))",
                "insert into orders values (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')",
                "create alias slow_id for '" + SlowRepairTest.class.getName() + ".slowId'");
        db.execute(TARGET, "create table orders_v2 (id bigint primary key, note varchar(40))",
                "insert into orders_v2 values (1, 'a'), (3, 'stale'), (9, 'gone')");
        env = RealTimeTemporal.start(QUEUE, RepairImpl.class, new BackfillActivitiesImpl(db.registry));
    }

    @AfterEach
    void tearDown() {
        env.close();
        db.close();
    }

    @Test
    void repairTakingTwiceTheHeartbeatTimeoutSucceedsInOneAttempt() {
        Repair repair = env.getWorkflowClient().newWorkflowStub(Repair.class,
                WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("repair-slowly").build());
        BackfillStep step = new BackfillStep("copy", new TableRef(LEGACY, null),
                "select slow_id(id) as id, note from orders", new TableRef(TARGET, "orders_v2"), List.of("id"),
                Map.of(), 100, 1, 0, BackfillRollback.KEEP);

        KeyRepairResult done = repair.repair(new KeyRepairRequest("run/parity/repair-1", "rb", step, List.of("id"),
                List.of(List.of("2"), List.of("3"), List.of("4"), List.of("9"))));

        assertThat(done).isEqualTo(new KeyRepairResult(3, 1, 0));
        assertThat(db.rows(TARGET, "select id, note from orders_v2 order by id"))
                .isEqualTo(db.rows(LEGACY, "select id, note from orders order by id"));
    }
}
