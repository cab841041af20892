package org.runbooks.worker.it;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.util.HashMap;
import java.util.Map;

/**
 * The real worker application, started in the test JVM with its connections pointed at the test databases and its
 * runbook files read from the repository root, exactly as an operator's worker would read them.
 */
public final class RunningWorker implements AutoCloseable {

    private final EmbeddedServer server;

    private RunningWorker(EmbeddedServer server) {
        this.server = server;
    }

    public static RunningWorker start(TestServices services, String legacyUrl, String targetUrl) {
        return start(services, Map.of("legacy", legacyUrl, "target", targetUrl), Map.of());
    }

    /** A worker with these connections (name to JDBC URL, all with the test server's user) and extra settings. */
    public static RunningWorker start(TestServices services, Map<String, String> connections,
                                      Map<String, Object> settings) {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("temporal.target", services.temporalAddress());
        // The tests' runbooks live all over the repository, named from its root.
        props.put("runbooks.base-dir", "..");
        props.put("runbooks.working-dir", "..");
        connections.forEach((name, url) -> {
            props.put("runbooks.connections." + name + ".url", url);
            props.put("runbooks.connections." + name + ".user", services.pgUser());
            props.put("runbooks.connections." + name + ".password", services.pgPassword());
        });
        props.putAll(settings);
        return new RunningWorker(ApplicationContext.run(EmbeddedServer.class, props));
    }

    public String url() {
        return server.getURL().toString();
    }

    @Override
    public void close() {
        server.getApplicationContext().close();
    }
}
