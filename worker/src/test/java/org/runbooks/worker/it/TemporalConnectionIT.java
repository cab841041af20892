package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The worker against a Temporal endpoint that requires TLS, and one that requires mutual TLS, through a real TLS
 * terminator ({@link TlsFrontDoor}): configured once in {@code application.yml} and once with the same TOML profile
 * file the {@code temporal} CLI reads, it runs a whole runbook; without its client certificate it is refused. Through
 * the door's API-key port (HAProxy answers 401 to any gRPC call without {@code authorization: Bearer <key>}), with
 * {@code TEMPORAL_API_KEY} set, it runs a runbook too; without the key, or with a wrong one, it is refused.
 */
class TemporalConnectionIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TlsFrontDoor door;
    private static Path profiles;

    @BeforeAll
    static void frontDoor() throws Exception {
        door = TlsFrontDoor.start(Path.of("target", "tls-front-door"), TestServices.get().temporalAddress());
        profiles = Path.of("target", "tls-front-door", "temporal.toml").toAbsolutePath();
        Files.writeString(profiles, """
                [profile.prod]
                address = "%1$s"
                namespace = "default"

                [profile.prod.tls]
                server_ca_cert_path = "%2$s"
                server_name = "%3$s"
                client_cert_path = "%4$s"
                client_key_path = "%5$s"

                [profile.no-client-cert]
                address = "%1$s"

                [profile.no-client-cert.tls]
                server_ca_cert_path = "%2$s"
                server_name = "%3$s"
                """.formatted(door.mtlsAddress(), door.ca(), TlsFrontDoor.SERVER_NAME, door.clientCert(),
                door.clientKey()));
    }

    @AfterAll
    static void close() throws Exception {
        if (door != null) {
            door.close();
        }
    }

    @Test
    void overTlsConfiguredInApplicationYmlTheWorkerRunsARunbookAndReadinessFollowsTheConnection() throws Exception {
        TestServices services = TestServices.get();
        OrdersDatabases dbs = new OrdersDatabases(services, "tls_conn", 2_000);
        TemporalCli temporal = new TemporalCli(services.temporalCli(), door.tlsAddress(),
                Map.of("TEMPORAL_TLS_SERVER_CA_CERT_PATH", door.ca().toString(),
                        "TEMPORAL_TLS_SERVER_NAME", TlsFrontDoor.SERVER_NAME));
        ScenarioRun run = ScenarioRun.ofFile(temporal, "production-copy-tls",
                "worker/src/test/resources/it-runbooks/production-copy.yaml");
        try (TlsFrontDoor ownDoor = TlsFrontDoor.start(Path.of("target", "tls-front-door-yml"),
                services.temporalAddress());
             RunningWorker worker = RunningWorker.start(services,
                     // Every connection the worker's defaults name, since readiness checks each of them.
                     Map.of("legacy", dbs.legacyUrl, "target", dbs.targetUrl, "warehouse", dbs.targetUrl),
                     Map.of("temporal.target", ownDoor.tlsAddress(),
                             "temporal.tls.server-ca-cert", ownDoor.ca().toString(),
                             "temporal.tls.server-name", TlsFrontDoor.SERVER_NAME))) {
            runToTheEnd(run, dbs);

            HttpResponse<String> ready = get(worker.url() + "/health/readiness");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            JsonNode details = JSON.readTree(ready.body()).at("/details");
            assertThat(details.at("/temporal/status").asText()).isEqualTo("UP");
            assertThat(details.at("/temporal/details/endpoint").asText())
                    .contains(ownDoor.tlsAddress(), "TLS", TlsFrontDoor.SERVER_NAME);
            assertThat(details.at("/databases/details/legacy").asText()).isEqualTo("UP");
            assertThat(details.at("/databases/details/target").asText()).isEqualTo("UP");

            ownDoor.close();
            HttpResponse<String> down = Awaits.until("readiness to report the lost connection", Duration.ofSeconds(30),
                    Duration.ofMillis(500), () -> get(worker.url() + "/health/readiness"), r -> r.statusCode() == 503);
            assertThat(JSON.readTree(down.body()).at("/details/temporal/status").asText()).isEqualTo("DOWN");
            HttpResponse<String> live = get(worker.url() + "/health/liveness");
            assertThat(live.statusCode()).as("liveness does not depend on Temporal: " + live.body()).isEqualTo(200);
        }
    }

    @Test
    void withTheCliProfileFileTheWorkerRunsARunbookOverMutualTls() throws Exception {
        TestServices services = TestServices.get();
        OrdersDatabases dbs = new OrdersDatabases(services, "mtls_conn", 2_000);
        Map<String, String> profile = Map.of("TEMPORAL_CONFIG_FILE", profiles.toString(), "TEMPORAL_PROFILE", "prod");
        TemporalCli temporal = new TemporalCli(services.temporalCli(), door.mtlsAddress(), profile);
        ScenarioRun run = ScenarioRun.ofFile(temporal, "production-copy-mtls",
                "worker/src/test/resources/it-runbooks/production-copy.yaml");
        assertThat(temporal.run(ProductionReadme.command("temporal operator cluster health"))).contains("SERVING");
        Map<String, String> env = new java.util.HashMap<>(profile);
        env.put("TEMPORAL_ADDRESS", ""); // the profile alone says where Temporal is
        try (WorkerProcess ignored = WorkerProcess.start(
                WorkerProcess.Settings.of(services, dbs.legacyUrl, dbs.targetUrl).withConnection("warehouse",
                        dbs.targetUrl).withTemporal(null),
                "mtls-worker.log", env)) {
            runToTheEnd(run, dbs);
        }
    }

    @Test
    void withoutItsClientCertificateTheWorkerIsRefusedAndSaysWhy() throws Exception {
        TestServices services = TestServices.get();
        Map<String, String> env = Map.of("TEMPORAL_CONFIG_FILE", profiles.toString(),
                "TEMPORAL_PROFILE", "no-client-cert", "TEMPORAL_ADDRESS", "");
        WorkerProcess.Settings settings = WorkerProcess.Settings.of(services, services.jdbcUrl("postgres"),
                services.jdbcUrl("postgres")).withTemporal(null);

        assertThatThrownBy(() -> WorkerProcess.start(settings, "refused-worker.log", env).close())
                .hasMessageContaining("worker exited during start-up")
                .hasMessageContaining(door.mtlsAddress())
                .hasMessageContaining("CERTIFICATE_REQUIRED");
    }

    @Test
    void withTheApiKeyFromTheEnvironmentTheWorkerRunsARunbook() throws Exception {
        TestServices services = TestServices.get();
        OrdersDatabases dbs = new OrdersDatabases(services, "api_key_conn", 2_000);
        // The CLI goes through the same key check, with the same environment.
        TemporalCli temporal = new TemporalCli(services.temporalCli(), door.apiKeyAddress(),
                apiKeyEnvironment(door.apiKey()));
        ScenarioRun run = ScenarioRun.ofFile(temporal, "production-copy-api-key",
                "worker/src/test/resources/it-runbooks/production-copy.yaml");
        try (WorkerProcess ignored = WorkerProcess.start(
                WorkerProcess.Settings.of(services, dbs.legacyUrl, dbs.targetUrl).withConnection("warehouse",
                        dbs.targetUrl).withTemporal(null),
                "api-key-worker.log", apiKeyEnvironment(door.apiKey()))) {
            runToTheEnd(run, dbs);
        }
    }

    @Test
    void withoutTheApiKeyTheWorkerIsRefusedAndSaysWhy() {
        Map<String, String> env = apiKeyEnvironment(door.apiKey());
        env.put("TEMPORAL_API_KEY", "");
        assertRefusedForTheApiKey(env, "no-api-key-worker.log");
    }

    @Test
    void withAWrongApiKeyTheWorkerIsRefusedAndSaysWhy() {
        assertRefusedForTheApiKey(apiKeyEnvironment("not-" + door.apiKey()), "wrong-api-key-worker.log");
    }

    private static void assertRefusedForTheApiKey(Map<String, String> env, String log) {
        TestServices services = TestServices.get();
        WorkerProcess.Settings settings = WorkerProcess.Settings.of(services, services.jdbcUrl("postgres"),
                services.jdbcUrl("postgres")).withTemporal(null);
        assertThatThrownBy(() -> WorkerProcess.start(settings, log, env).close())
                .hasMessageContaining("worker exited during start-up")
                .hasMessageContaining(door.apiKeyAddress())
                .hasMessageContaining("UNAUTHENTICATED");
    }

    /** The API-key port, and how to trust it, as a deployment's environment says it, with {@code key} as API key. */
    private static Map<String, String> apiKeyEnvironment(String key) {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("TEMPORAL_ADDRESS", door.apiKeyAddress());
        env.put("TEMPORAL_API_KEY", key);
        env.put("TEMPORAL_TLS_SERVER_CA_CERT_PATH", door.ca().toString());
        env.put("TEMPORAL_TLS_SERVER_NAME", TlsFrontDoor.SERVER_NAME);
        return env;
    }

    /** Starts {@code run}, approves its gate and checks that it completed with target == source. */
    private static void runToTheEnd(ScenarioRun run, OrdersDatabases dbs) throws Exception {
        run.start();
        run.awaitGate("ship-it");
        run.approve("ship-it", "dba-oncall");
        assertThat(run.result().at("/result/outcome").asText()).isEqualTo("COMPLETED");
        assertThat(dbs.targetChecksum()).isEqualTo(dbs.legacyChecksum());
    }

    private static HttpResponse<String> get(String url) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
