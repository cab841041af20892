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
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import jakarta.inject.Singleton;
import org.runbooks.jdbc.SignalTroubleReports;
import org.runbooks.jdbc.TroubleReportingInterceptor;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.jdbc.connect.ConnectionSettings;
import org.runbooks.jdbc.connect.JdbcConnectionRegistry;
import org.runbooks.worker.codec.AesGcmPayloadCodec;
import org.runbooks.worker.pool.CappedConnectionRegistry;
import org.runbooks.worker.codec.CodecSettings;
import org.runbooks.worker.temporal.TemporalChannel;
import org.runbooks.worker.temporal.TemporalEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Builds the Temporal client (reporting the SDK's own metrics into Micrometer) and the connection registry. */
@Factory
public class TemporalFactory {

    private static final Logger log = LoggerFactory.getLogger(TemporalFactory.class);

    /** How often the SDK's metrics are pushed into Micrometer: every 10 s. */
    private static final Duration METRICS_EVERY = Duration.ofSeconds(10);

    @Singleton
    @Bean(preDestroy = "close")
    Scope temporalMetrics(MeterRegistry registry) {
        return new RootScopeBuilder().reporter(new MicrometerClientStatsReporter(registry)).reportEvery(METRICS_EVERY);
    }

    /** Where Temporal is and how to authenticate: the CLI's profile and variables, under {@code temporal.*}. */
    @Singleton
    TemporalEndpoint temporalEndpoint(TemporalSettings settings) {
        return TemporalEndpoint.resolve(settings);
    }

    @Singleton
    @Bean(preDestroy = "shutdown")
    WorkflowServiceStubs serviceStubs(TemporalEndpoint endpoint, Scope metrics) {
        log.info("connecting to Temporal at {}", endpoint.describe());
        return WorkflowServiceStubs.newServiceStubs(TemporalChannel.options(endpoint)
                .setMetricsScope(metrics)
                .build());
    }

    @Singleton
    WorkflowClient workflowClient(WorkflowServiceStubs stubs, TemporalEndpoint endpoint, CodecSettings codec) {
        WorkflowClientOptions.Builder options = WorkflowClientOptions.newBuilder().setNamespace(endpoint.namespace());
        if (codec.enabled()) {
            AesGcmPayloadCodec aes = AesGcmPayloadCodec.of(codec);
            options.setDataConverter(aes.dataConverter());
            log.info("payloads are encrypted with AES-GCM key '{}' (keys known: {})", aes.currentKeyId(),
                    codec.getKeys().keySet());
        }
        return WorkflowClient.newInstance(stubs, options.build());
    }

    /** Every activity attempt that fails because a database or webhook is unreachable tells its phase first. */
    @Singleton
    @Bean(preDestroy = "shutdown")
    WorkerFactory workerFactory(WorkflowClient client) {
        return WorkerFactory.newInstance(client, WorkerFactoryOptions.newBuilder()
                .setWorkerInterceptors(new TroubleReportingInterceptor(new SignalTroubleReports(client)))
                .build());
    }

    /** Each named connection with its own cap ({@code max-connections}). */
    @Singleton
    CappedConnectionRegistry connections(List<ConnectionProperties> connections) {
        ConnectionRegistry physical = new JdbcConnectionRegistry(connections.stream()
                .map(TemporalFactory::settings)
                .toList());
        return new CappedConnectionRegistry(physical, connections.stream()
                .collect(java.util.stream.Collectors.toMap(ConnectionProperties::getName,
                        ConnectionProperties::getMaxConnections)));
    }

    /** What a named connection's configuration says, as the activities take it. */
    static ConnectionSettings settings(ConnectionProperties c) {
        return new ConnectionSettings(c.getName(), c.getUrl(), c.getUser(), c.getPassword(), c.getLockTimeout(),
                c.getStatementTimeout(), c.readOnlyLogin());
    }
}
