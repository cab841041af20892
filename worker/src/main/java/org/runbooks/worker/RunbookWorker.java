package org.runbooks.worker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import org.runbooks.backfill.BackfillActivitiesImpl;
import org.runbooks.backfill.ProbeEndpoints;
import org.runbooks.cutover.CutoverActivitiesImpl;
import org.runbooks.flag.FlagActivitiesImpl;
import org.runbooks.jdbc.connect.UnknownConnectionException;
import org.runbooks.stream.StreamActivitiesImpl;
import org.runbooks.stream.StreamMetrics;
import org.runbooks.stream.StreamWorkflowImpl;
import org.runbooks.load.RunbookFiles;
import org.runbooks.load.RunbookLoadActivitiesImpl;
import org.runbooks.sql.SqlActivitiesImpl;
import org.runbooks.validate.ValidationActivitiesImpl;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.jdbc.connect.NamingConnectionRegistry;
import org.runbooks.notify.NotifyActivitiesImpl;
import org.runbooks.notify.WebhookRegistry;
import org.runbooks.report.ReportActivitiesImpl;
import org.runbooks.phase.PhaseWorkflowImpl;
import org.runbooks.runbook.RunbookWorkflowImpl;
import org.runbooks.worker.temporal.TemporalEndpoint;
import org.runbooks.worker.temporal.VersioningSettings;
import org.runbooks.worker.temporal.WorkerVersioning;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Registers the runbook workflows and every activity on the task queue, and starts polling. Not in the {@code cli}
 * environment: the validate and plan subcommands must not poll or start anything.
 */
@Requires(notEnv = Environment.CLI)
@Context
public class RunbookWorker implements ApplicationEventListener<ServerStartupEvent> {

    private static final Logger log = LoggerFactory.getLogger(RunbookWorker.class);
    /** Longest a stopping worker waits for its pollers and running activities to end: 10 s. */
    private static final java.time.Duration STOP_WAIT = java.time.Duration.ofSeconds(10);

    private final WorkerFactory factory;
    private final WorkerSettings settings;
    private final TemporalEndpoint temporal;
    private final ConnectionRegistry connections;
    private final WorkflowServiceStubs stubs;
    private final WebhookRegistry webhooks;
    private final MeterRegistry meters;
    private final ReportSettings reports;
    private final ApprovalSettings approvals;
    private final VersioningSettings versioning;
    private final java.util.List<ConnectionProperties> connectionSettings;

    public RunbookWorker(WorkerFactory factory, WorkerSettings settings, TemporalEndpoint temporal,
                         ConnectionRegistry connections, WorkflowServiceStubs stubs, WebhookRegistry webhooks,
                         MeterRegistry meters, ReportSettings reports, ApprovalSettings approvals,
                         VersioningSettings versioning, java.util.List<ConnectionProperties> connectionSettings) {
        this.connectionSettings = connectionSettings;
        this.approvals = approvals;
        this.versioning = versioning;
        this.meters = meters;
        this.reports = reports;
        this.stubs = stubs;
        this.webhooks = webhooks;
        this.factory = factory;
        this.settings = settings;
        this.temporal = temporal;
        this.connections = connections;
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        SearchAttributeSetup.ensure(stubs, temporal.namespace());
        Worker worker = factory.newWorker(settings.getTaskQueue(), WorkerVersioning.options(versioning));
        worker.registerWorkflowImplementationTypes(RunbookWorkflowImpl.class, PhaseWorkflowImpl.class,
                StreamWorkflowImpl.class);
        // Pre-flight names the connections in its own findings; the steps' failures (and status) name them here.
        ConnectionRegistry named = new NamingConnectionRegistry(connections);
        worker.registerActivitiesImplementations(
                new RunbookLoadActivitiesImpl(runbookFiles(), connections, webhooks.names(), approvals.keysFile()),
                new BackfillActivitiesImpl(named, meters, name -> webhooks.resolve(name)
                        .map(w -> new ProbeEndpoints.Endpoint(w.name(), w.url(), w.headers()))),
                new ValidationActivitiesImpl(named),
                new FlagActivitiesImpl(named),
                new SqlActivitiesImpl(named),
                new NotifyActivitiesImpl(webhooks),
                new ReportActivitiesImpl(Path.of(reports.getDir())),
                new StreamActivitiesImpl(named, name -> connectionSettings.stream()
                        .filter(c -> c.getName().equals(name)).findFirst().map(TemporalFactory::settings)
                        .orElseThrow(() -> new UnknownConnectionException(name, connections.names())),
                        new StreamMetrics(meters), java.time.Clock.systemUTC()),
                new CutoverActivitiesImpl(named));
        factory.start();
        log.info("worker polling task queue '{}' on {} as {}; connections {}; runbooks from {}; reports to {}",
                settings.getTaskQueue(), temporal.describe(), WorkerVersioning.describe(versioning), connections.names(),
                runbookFiles().baseDir(), Path.of(reports.getDir()).toAbsolutePath().normalize());
    }

    /** {@code runbooks.base-dir} and {@code runbooks.working-dir}, each relative to the worker's working directory. */
    private RunbookFiles runbookFiles() {
        RunbookFiles files = new RunbookFiles(Path.of(settings.getBaseDir()), Path.of(settings.getWorkingDir()));
        if (!java.nio.file.Files.isDirectory(files.baseDir())) {
            log.warn("the runbooks base directory {} (runbooks.base-dir) does not exist: every start will fail",
                    files.baseDir());
        }
        return files;
    }

    /**
     * Stops polling before the connection to the server closes, and waits for it. A graceful {@code shutdown()}
     * leaves the long polls in flight; one that returns a task after the worker stopped runs it with nowhere to
     * report the result, and the task waits out its whole start-to-close timeout (5 minutes for a runbook load)
     * before another worker gets it. Stopping now cancels those polls; an activity that was running is retried
     * from its checkpoint once its heartbeat or start-to-close timeout passes.
     */
    @PreDestroy
    void stopPolling() throws InterruptedException {
        factory.shutdownNow();
        factory.awaitTermination(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
        if (!factory.isTerminated()) {
            log.warn("the worker had not stopped {} s after it was told to; closing anyway", STOP_WAIT.toSeconds());
        }
    }
}
