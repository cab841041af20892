package org.runbooks.runbook;

import com.uber.m3.tally.Scope;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import org.runbooks.api.RunbookRequest;
import org.runbooks.api.RunbookResult;
import org.runbooks.api.RunbookState;
import org.runbooks.api.RunbookStatus;
import org.runbooks.api.RunbookWorkflow;
import org.runbooks.phase.PhaseWorkflowImpl;

import java.time.Duration;

/**
 * One runbook on Temporal's time-skipping test server, with {@link FakeActivities} standing in for every activity.
 * Workflow id {@code rb-test}, started by alice from {@code runbooks/test.yaml}.
 */
final class TimeSkippingRunbooks implements AutoCloseable {

    static final String QUEUE = "runbooks";

    private final TestWorkflowEnvironment env;
    private final FakeActivities activities;
    private final RunbookWorkflow workflow;

    TimeSkippingRunbooks(String runbookText) {
        this(runbookText, new RunbookRequest("runbooks/test.yaml", "alice"), activities -> { }, null);
    }

    /** With {@code metrics} (null: none) as the workers' metrics scope, which workflows write their metrics to. */
    TimeSkippingRunbooks(String runbookText, Scope metrics) {
        this(runbookText, new RunbookRequest("runbooks/test.yaml", "alice"), activities -> { }, metrics);
    }

    /** Starts with this request instead, e.g. one with a small {@code historyLimit}. */
    TimeSkippingRunbooks(String runbookText, RunbookRequest request) {
        this(runbookText, request, activities -> { }, null);
    }

    /** {@code setUp} shapes the stand-ins before the runbook starts; {@code request} is what it is started with. */
    TimeSkippingRunbooks(String runbookText, RunbookRequest request,
                         java.util.function.Consumer<FakeActivities> setUp) {
        this(runbookText, request, setUp, null);
    }

    private TimeSkippingRunbooks(String runbookText, RunbookRequest request,
                                 java.util.function.Consumer<FakeActivities> setUp, Scope metrics) {
        env = metrics == null ? TestWorkflowEnvironment.newInstance()
                : TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setMetricsScope(metrics).build());
        RunbookSearchAttributes.ALL.forEach(key ->
                env.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
        Worker worker = env.newWorker(QUEUE);
        worker.registerWorkflowImplementationTypes(RunbookWorkflowImpl.class, PhaseWorkflowImpl.class,
                org.runbooks.stream.StreamWorkflowImpl.class);
        activities = new FakeActivities(runbookText);
        setUp.accept(activities);
        worker.registerActivitiesImplementations(activities.all());
        env.start();
        workflow = env.getWorkflowClient().newWorkflowStub(RunbookWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("rb-test").build());
        WorkflowClient.start(workflow::run, request);
    }

    RunbookWorkflow workflow() {
        return workflow;
    }

    WorkflowClient client() {
        return env.getWorkflowClient();
    }

    FakeActivities activities() {
        return activities;
    }

    /** Lets {@code duration} of workflow time pass (skipping ahead when nothing runs). */
    void sleep(Duration duration) {
        env.sleep(duration);
    }

    RunbookStatus awaitState(RunbookState state) {
        return awaitState(state, Duration.ofSeconds(100));
    }

    /** Polls {@code status} every half second of workflow time, for at most {@code within} of it. */
    RunbookStatus awaitState(RunbookState state, Duration within) {
        for (long i = 0; i < within.toMillis() / 500; i++) {
            RunbookStatus status = workflow.status();
            if (status.state() == state) {
                return status;
            }
            env.sleep(Duration.ofMillis(500));
        }
        throw new AssertionError("runbook never reached " + state + "; last status " + workflow.status());
    }

    /** Polls {@code status} like {@link #awaitState} until this gate is the one that waits. */
    RunbookStatus awaitGate(String gate) {
        for (int i = 0; i < 200; i++) {
            RunbookStatus status = workflow.status();
            if (status.gate() != null && status.gate().gate().equals(gate)) {
                return status;
            }
            env.sleep(Duration.ofMillis(500));
        }
        throw new AssertionError("gate " + gate + " never waited; last status " + workflow.status());
    }

    /**
     * The result of a runbook that is being rolled back by a signal (or a cancel: wait with {@link #awaitState}).
     * Time is stepped forward until it has rolled back: asking for the result at once lets the test server skip
     * straight to a timeout while the phase's cancellation is still in flight.
     */
    RunbookResult resultOnceRolledBack() {
        awaitState(RunbookState.ROLLED_BACK);
        return result();
    }

    RunbookResult result() {
        return WorkflowStub.fromTyped(workflow).getResult(RunbookResult.class);
    }

    @Override
    public void close() {
        env.close();
    }
}
