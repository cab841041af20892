package org.runbooks.jdbc;

import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.SqlRun;
import org.runbooks.sql.SqlActivities;
import org.runbooks.sql.SqlActivitiesImpl;
import org.runbooks.step.StepOptions;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.jdbc.TwoDatabases.TARGET;

/**
 * A revert slower than its compensation's heartbeat timeout succeeds in its first attempt, against a Temporal test
 * server that enforces heartbeat timeouts in real time. The heartbeat timeout is cut from the 10 s of
 * {@link StepOptions#compensation()} to 1 s, and the attempts to one, so the test is quick and cannot pass by retrying.
 */
class SlowCompensationTest {

    private static final String QUEUE = "slow-compensation";

    @WorkflowInterface
    public interface Revert {
        @WorkflowMethod
        String revert(SqlRun run);
    }

    public static class RevertImpl implements Revert {
        private final SqlActivities sql = Workflow.newActivityStub(SqlActivities.class,
                ActivityOptions.newBuilder(StepOptions.compensation())
                        .setHeartbeatTimeout(Duration.ofSeconds(1))
                        .setRetryOptions(RetryOptions.newBuilder(StepOptions.COMPENSATION_RETRIES)
                                .setMaximumAttempts(1).build())
                        .build());

        @Override
        public String revert(SqlRun run) {
            sql.runSql(run);
            return "reverted";
        }
    }

    private TwoDatabases db;
    private TestWorkflowEnvironment env;

    @BeforeEach
    void setUp() {
        db = new TwoDatabases();
        db.execute(TARGET, "create table orders_v2 (id bigint primary key)",
                "create view orders_read as select * from orders_v2",
                "create alias sleep_ms for 'java.lang.Thread.sleep(long)'");
        env = RealTimeTemporal.start(QUEUE, RevertImpl.class, new SqlActivitiesImpl(db.registry));
    }

    @AfterEach
    void tearDown() {
        env.close();
        db.close();
    }

    @Test
    void revertTakingThreeTimesTheHeartbeatTimeoutSucceedsInOneAttempt() {
        Revert revert = env.getWorkflowClient().newWorkflowStub(Revert.class,
                WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("revert-slowly").build());

        String result = revert.revert(new SqlRun("run-1/read-view/revert", TARGET,
                "call sleep_ms(3000); drop view orders_read"));

        assertThat(result).isEqualTo("reverted");
        assertThat(db.rows(TARGET, "select count(*) from information_schema.views where table_name = 'orders_read'"))
                .as("the view is dropped").containsExactly(List.of(0L));
    }
}
