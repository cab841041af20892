package org.runbooks.jdbc;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import org.runbooks.api.RunbookRequest;
import org.runbooks.api.RunbookResult;
import org.runbooks.api.RunbookWorkflow;
import org.runbooks.backfill.BackfillActivitiesImpl;
import org.runbooks.flag.FlagActivitiesImpl;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.load.RunbookLoadActivitiesImpl;
import org.runbooks.notify.NotifyActivitiesImpl;
import org.runbooks.notify.Webhook;
import org.runbooks.notify.WebhookRegistry;
import org.runbooks.phase.PhaseWorkflowImpl;
import org.runbooks.report.ReportActivitiesImpl;
import org.runbooks.runbook.RunbookSearchAttributes;
import org.runbooks.runbook.RunbookWorkflowImpl;
import org.runbooks.sql.SqlActivitiesImpl;
import org.runbooks.validate.ValidationActivitiesImpl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runbooks run by the real runbook and phase workflows and the real activities on {@code connections}, on a Temporal
 * test server that keeps real time (heartbeats and their throttling as on a real server). Runbook files are written
 * into {@code dir}; the runbook's workflow id is {@code rb-real}.
 */
public final class RealTimeRunbooks implements AutoCloseable {

    private static final String QUEUE = "real-time-runbooks";
    /** Longest a runbook may take to end: a cancelled activity hears of it at a throttled heartbeat (24 s at most). */
    private static final long RESULT_WAIT_SECONDS = 120;

    private final Path dir;
    private final TestWorkflowEnvironment env;

    public RealTimeRunbooks(ConnectionRegistry connections, Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir.resolve("reports"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
        RunbookSearchAttributes.ALL.forEach(key ->
                env.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
        Worker worker = env.newWorker(QUEUE);
        worker.registerWorkflowImplementationTypes(RunbookWorkflowImpl.class, PhaseWorkflowImpl.class);
        worker.registerActivitiesImplementations(new RunbookLoadActivitiesImpl(dir, connections),
                new BackfillActivitiesImpl(connections), new ValidationActivitiesImpl(connections),
                new FlagActivitiesImpl(connections), new SqlActivitiesImpl(connections),
                new NotifyActivitiesImpl(new NoWebhooks()), new ReportActivitiesImpl(dir.resolve("reports")));
        env.start();
    }

    /** Starts the runbook {@code text} as alice. */
    public RunbookWorkflow start(String text) {
        try {
            Files.writeString(dir.resolve("test.yaml"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RunbookWorkflow runbook = env.getWorkflowClient().newWorkflowStub(RunbookWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("rb-real").build());
        WorkflowClient.start(runbook::run, new RunbookRequest("test.yaml", "alice"));
        return runbook;
    }

    public static RunbookResult resultOf(RunbookWorkflow runbook) {
        try {
            return WorkflowStub.fromTyped(runbook).getResult(RESULT_WAIT_SECONDS, TimeUnit.SECONDS,
                    RunbookResult.class);
        } catch (TimeoutException e) {
            throw new AssertionError("the runbook did not end within " + RESULT_WAIT_SECONDS + " s", e);
        }
    }

    @Override
    public void close() {
        env.close();
    }

    private static final class NoWebhooks implements WebhookRegistry {
        @Override
        public Set<String> names() {
            return Set.of();
        }

        @Override
        public Optional<Webhook> resolve(String name) {
            return Optional.empty();
        }
    }
}
