package org.runbooks.worker.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The worker against a Temporal endpoint that requires an API key, as Temporal Cloud does: {@link TlsFrontDoor}'s
 * API-key port, where HAProxy answers every gRPC call that lacks {@code authorization: Bearer <key>} with 401. With
 * {@code TEMPORAL_API_KEY} set the worker runs a whole runbook there; without the key, or with a wrong one, it is
 * refused at start-up and says so.
 */
class ApiKeyIT {

    private static TlsFrontDoor door;

    @BeforeAll
    static void frontDoor() throws Exception {
        door = TlsFrontDoor.start(Path.of("target", "api-key-front-door"), TestServices.get().temporalAddress());
    }

    @AfterAll
    static void close() throws Exception {
        if (door != null) {
            door.close();
        }
    }

    @Test
    void withTheApiKeyFromTheEnvironmentTheWorkerRunsARunbook() throws Exception {
        TestServices services = TestServices.get();
        OrdersDatabases dbs = new OrdersDatabases(services, "api_key_conn", 2_000);
        // The CLI goes through the same key check, with the same environment.
        TemporalCli temporal = new TemporalCli(services.temporalCli(), door.apiKeyAddress(),
                environment(door.apiKey()));
        ScenarioRun run = ScenarioRun.ofFile(temporal, "production-copy-api-key",
                "worker/src/test/resources/it-runbooks/production-copy.yaml");
        try (WorkerProcess ignored = WorkerProcess.start(
                WorkerProcess.Settings.of(services, dbs.legacyUrl, dbs.targetUrl).withConnection("warehouse",
                        dbs.targetUrl).withTemporal(null),
                "api-key-worker.log", environment(door.apiKey()))) {
            run.start();
            run.awaitGate("ship-it");
            run.approve("ship-it", "dba-oncall");
            assertThat(run.result().at("/result/outcome").asText()).isEqualTo("COMPLETED");
            assertThat(dbs.targetChecksum()).isEqualTo(dbs.legacyChecksum());
        }
    }

    @Test
    void withoutTheApiKeyTheWorkerIsRefusedAndSaysWhy() {
        Map<String, String> env = environment(door.apiKey());
        env.put("TEMPORAL_API_KEY", "");
        assertRefused(env, "no-api-key-worker.log");
    }

    @Test
    void withAWrongApiKeyTheWorkerIsRefusedAndSaysWhy() {
        assertRefused(environment("not-" + door.apiKey()), "wrong-api-key-worker.log");
    }

    private static void assertRefused(Map<String, String> env, String log) {
        TestServices services = TestServices.get();
        WorkerProcess.Settings settings = WorkerProcess.Settings.of(services, services.jdbcUrl("postgres"),
                services.jdbcUrl("postgres")).withTemporal(null);
        assertThatThrownBy(() -> WorkerProcess.start(settings, log, env).close())
                .hasMessageContaining("worker exited during start-up")
                .hasMessageContaining(door.apiKeyAddress())
                .hasMessageContaining("UNAUTHENTICATED");
    }

    /** Where Temporal is and how to trust it, as a deployment's environment says it, with {@code key} as API key. */
    private static Map<String, String> environment(String key) {
        Map<String, String> env = new HashMap<>();
        env.put("TEMPORAL_ADDRESS", door.apiKeyAddress());
        env.put("TEMPORAL_API_KEY", key);
        env.put("TEMPORAL_TLS_SERVER_CA_CERT_PATH", door.ca().toString());
        env.put("TEMPORAL_TLS_SERVER_NAME", TlsFrontDoor.SERVER_NAME);
        return env;
    }
}
