package org.runbooks.jdbc;

import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;

/**
 * A Temporal test server that keeps real time, so heartbeat timeouts pass as they would on a real server, for tests
 * that prove a slow activity heartbeats through them.
 */
public final class RealTimeTemporal {

    private RealTimeTemporal() {
    }

    /** Started, with one worker on {@code queue} running {@code workflow} and {@code activities}. */
    public static TestWorkflowEnvironment start(String queue, Class<?> workflow, Object activities) {
        TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(
                TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
        Worker worker = env.newWorker(queue);
        worker.registerWorkflowImplementationTypes(workflow);
        worker.registerActivitiesImplementations(activities);
        env.start();
        return env;
    }
}
