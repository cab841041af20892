package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With payload encryption on, a runbook's history holds only ciphertext (the SQL of its KPI, the KPI's value, the
 * approver's comment, the file it was started with), and the same {@code temporal} commands with
 * {@code --codec-endpoint} pointed at the worker show the plaintext to whoever holds the codec token.
 */
class PayloadCodecIT {

    private static final String OLD_KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String TOKEN = "codec-test-token";
    private static final String UI = "http://127.0.0.1:8233";
    private static final String ID = "production-copy-codec";
    private static final String COMMENT = "revenue matches to the cent";

    @Test
    void historyHoldsCiphertextAndTheCodecEndpointShowsThePlaintextToTokenHolders() throws Exception {
        TestServices services = TestServices.get();
        TemporalCli temporal = new TemporalCli(services);
        OrdersDatabases dbs = new OrdersDatabases(services, "codec", 1_000);
        String newKey = ProductionReadme.shell(ProductionReadme.command("openssl rand -base64 32"), services, Map.of())
                .strip();
        assertThat(Base64.getDecoder().decode(newKey)).hasSize(32);
        try (RunningWorker worker = RunningWorker.start(services,
                Map.of("legacy", dbs.legacyUrl, "target", dbs.targetUrl),
                Map.of("runbooks.codec.keys.2026-11", OLD_KEY,
                        "runbooks.codec.keys.2026-12", newKey,
                        "runbooks.codec.encrypt-with", "2026-12",
                        "runbooks.codec.token", TOKEN,
                        "runbooks.codec.allowed-origins", UI))) {
            String codec = " --codec-endpoint " + worker.url() + " --codec-auth 'Bearer " + TOKEN + "'";
            temporal.run("temporal workflow start --type Runbook --task-queue runbooks --workflow-id " + ID
                    + " --input '{\"file\":\"worker/src/test/resources/it-runbooks/production-copy.yaml\","
                    + "\"startedBy\":\"alice\"}'" + codec);
            JsonNode atGate = Awaits.status(temporal, "temporal workflow query --workflow-id " + ID + " --name status"
                    + codec, s -> "ship-it".equals(s.at("/gate/gate").asText()));
            assertThat(atGate.at("/evidence/0/passed").asBoolean()).as(atGate.toString()).isTrue();
            temporal.run("temporal workflow signal --workflow-id " + ID + " --name approve --input '{\"gate\":"
                    + "\"ship-it\",\"by\":\"dba-oncall\",\"comment\":\"" + COMMENT + "\"}'" + codec);
            assertThat(temporal.run("temporal workflow result --workflow-id " + ID + codec)).contains("COMPLETED");
            String revenue = revenue(services, dbs.legacyUrl);

            for (String workflow : new String[] {ID, ID + "/validate", ID + "/review"}) {
                String show = "temporal workflow show --workflow-id " + workflow + " --output json";
                Payloads sealed = Payloads.in(temporal.run(show));
                assertThat(sealed.encodings()).as(workflow + " without the codec").containsOnly("binary/encrypted");
                assertThat(sealed.text()).as(workflow + " without the codec")
                        .doesNotContain("select sum(amount)", COMMENT, revenue, "production-copy.yaml");
                Payloads opened = Payloads.in(temporal.run(show + codec));
                assertThat(opened.encodings()).as(workflow + " through the codec").doesNotContain("binary/encrypted");
            }
            assertThat(Payloads.in(temporal.run("temporal workflow show --workflow-id " + ID + "/validate --output json"
                    + codec)).text()).contains("select sum(amount) from orders", revenue);
            assertThat(Payloads.in(temporal.run("temporal workflow show --workflow-id " + ID + " --output json"
                    + codec)).text()).contains(COMMENT, "production-copy.yaml");
            String readmeShow = ProductionReadme.command("--codec-endpoint")
                    .replace("--workflow-id orders-to-v2", "--workflow-id " + ID)
                    .replace("http://127.0.0.1:8080", worker.url());
            ProductionReadme.shell(readmeShow, services, Map.of("RUNBOOKS_CODEC_TOKEN", TOKEN));
            Payloads throughReadme = Payloads.in(ProductionReadme.shell(readmeShow + " --output json", services,
                    Map.of("RUNBOOKS_CODEC_TOKEN", TOKEN)));
            assertThat(throughReadme.text()).contains(COMMENT);
            assertThat(throughReadme.encodings()).doesNotContain("binary/encrypted");

            String payloads = "{\"payloads\":[{\"metadata\":{\"encoding\":\"" + base64("json/plain") + "\"},"
                    + "\"data\":\"" + base64("\"hello\"") + "\"}]}";
            assertThat(post(worker.url() + "/encode", payloads, null, null).statusCode())
                    .as("no token, no plaintext").isEqualTo(401);
            HttpResponse<String> encoded = post(worker.url() + "/encode", payloads, "Bearer " + TOKEN, UI);
            assertThat(encoded.statusCode()).isEqualTo(200);
            assertThat(encoded.headers().firstValue("Access-Control-Allow-Origin")).contains(UI);
            assertThat(encoded.body()).contains(base64("binary/encrypted")).doesNotContain(base64("\"hello\""));
            HttpResponse<String> decoded = post(worker.url() + "/decode", encoded.body(), "Bearer " + TOKEN, UI);
            assertThat(decoded.body()).contains(base64("\"hello\""));

            assertThat(preflight(worker.url() + "/decode", UI).headers().firstValue("Access-Control-Allow-Headers"))
                    .hasValueSatisfying(h -> assertThat(h).contains("X-Namespace", "Authorization"));
            assertThat(preflight(worker.url() + "/decode", "https://elsewhere.example").statusCode()).isEqualTo(403);
        }
    }

    /**
     * Every payload in a history exported as JSON, which the CLI prints as base64: their encodings and their data as
     * text. Search attributes are left out (the server indexes them, so they are never encrypted; README says so),
     * and so are {@code Workflow.getVersion} markers, which the SDK writes unencoded: a change id and a number.
     */
    private record Payloads(java.util.Set<String> encodings, String text) {

        static Payloads in(String history) throws Exception {
            java.util.Set<String> encodings = new java.util.TreeSet<>();
            StringBuilder text = new StringBuilder();
            collect(new com.fasterxml.jackson.databind.ObjectMapper().readTree(history), encodings, text);
            return new Payloads(encodings, text.toString());
        }

        private static void collect(JsonNode node, java.util.Set<String> encodings, StringBuilder text) {
            if (node.isObject() && node.has("metadata") && node.has("data")) {
                encodings.add(decode(node.at("/metadata/encoding").asText()));
                text.append(decode(node.get("data").asText())).append('\n');
                return;
            }
            if ("Version".equals(node.path("markerName").asText())) {
                return;
            }
            node.fieldNames().forEachRemaining(name -> {
                if (!name.equals("searchAttributes")) {
                    collect(node.get(name), encodings, text);
                }
            });
            if (node.isArray()) {
                node.forEach(child -> collect(child, encodings, text));
            }
        }

        private static String decode(String base64) {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        }
    }

    private static String revenue(TestServices services, String url) throws Exception {
        try (Connection c = services.connect(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select sum(amount) from orders")) {
            rs.next();
            return rs.getBigDecimal(1).stripTrailingZeros().toPlainString();
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> post(String url, String body, String auth, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").header("X-Namespace", "default")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            request.header("Authorization", auth);
        }
        if (origin != null) {
            request.header("Origin", origin);
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static HttpResponse<String> preflight(String url, String origin) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,x-namespace,authorization").build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}
