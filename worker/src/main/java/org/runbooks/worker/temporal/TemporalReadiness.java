package org.runbooks.worker.temporal;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Ready only while the worker polls and Temporal answers for its namespace over the configured TLS and credentials:
 * a call that a refused certificate, a wrong API key or an unknown namespace fails turns readiness DOWN with the
 * server's reason. Liveness does not include it, so an unreachable server never restarts a worker.
 */
@Readiness
@Singleton
@Requires(notEnv = Environment.CLI)
public class TemporalReadiness extends AbstractHealthIndicator<Map<String, Object>> {

    /** Longest the readiness call may take before it counts as unreachable: 3 s. */
    static final long DEADLINE_SECONDS = 3;

    private final WorkflowServiceStubs stubs;
    private final TemporalEndpoint endpoint;
    private final WorkerFactory factory;

    public TemporalReadiness(WorkflowServiceStubs stubs, TemporalEndpoint endpoint, WorkerFactory factory) {
        this.stubs = stubs;
        this.endpoint = endpoint;
        this.factory = factory;
    }

    @Override
    protected String getName() {
        return "temporal";
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("endpoint", endpoint.describe());
        details.put("polling", factory.isStarted() && !factory.isShutdown());
        try {
            stubs.blockingStub().withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(endpoint.namespace()).build());
            healthStatus = Boolean.TRUE.equals(details.get("polling")) ? HealthStatus.UP : HealthStatus.DOWN;
        } catch (RuntimeException e) {
            healthStatus = HealthStatus.DOWN;
            details.put("error", e.getMessage());
        }
        return details;
    }
}
