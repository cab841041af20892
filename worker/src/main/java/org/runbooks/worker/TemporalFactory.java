package org.runbooks.worker;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import com.uber.m3.util.Duration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import jakarta.inject.Singleton;
import org.runbooks.jdbc.SignalTroubleReports;
import org.runbooks.jdbc.TroubleReportingInterceptor;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.jdbc.connect.ConnectionSettings;
import org.runbooks.jdbc.connect.JdbcConnectionRegistry;

import java.util.List;

/** Builds the Temporal client (reporting the SDK's own metrics into Micrometer) and the connection registry. */
@Factory
public class TemporalFactory {

    /** How often the SDK's metrics are pushed into Micrometer: every 10 s. */
    private static final Duration METRICS_EVERY = Duration.ofSeconds(10);

    @Singleton
    @Bean(preDestroy = "close")
    Scope temporalMetrics(MeterRegistry registry) {
        return new RootScopeBuilder().reporter(new MicrometerClientStatsReporter(registry)).reportEvery(METRICS_EVERY);
    }

    @Singleton
    @Bean(preDestroy = "shutdown")
    WorkflowServiceStubs serviceStubs(TemporalSettings settings, Scope metrics) {
        return WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(settings.getTarget())
                .setMetricsScope(metrics)
                .build());
    }

    @Singleton
    WorkflowClient workflowClient(WorkflowServiceStubs stubs, TemporalSettings settings) {
        return WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder()
                .setNamespace(settings.getNamespace())
                .build());
    }

    /** Every activity attempt that fails because a database or webhook is unreachable tells its phase first. */
    @Singleton
    @Bean(preDestroy = "shutdown")
    WorkerFactory workerFactory(WorkflowClient client) {
        return WorkerFactory.newInstance(client, WorkerFactoryOptions.newBuilder()
                .setWorkerInterceptors(new TroubleReportingInterceptor(new SignalTroubleReports(client)))
                .build());
    }

    @Singleton
    ConnectionRegistry connections(List<ConnectionProperties> connections) {
        return new JdbcConnectionRegistry(connections.stream()
                .map(c -> new ConnectionSettings(c.getName(), c.getUrl(), c.getUser(), c.getPassword(),
                        c.getLockTimeout(), c.getStatementTimeout()))
                .toList());
    }
}
