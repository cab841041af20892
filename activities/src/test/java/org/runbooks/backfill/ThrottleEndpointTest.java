package org.runbooks.backfill;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.runbooks.model.BackfillThrottle;
import org.runbooks.parse.InvalidRunbookException;
import org.runbooks.parse.RunbookParser;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A throttle probe over HTTP names an endpoint of the worker's configuration, never a URL: the runbook cannot make
 * the worker fetch an address of its choosing. The probe sends the endpoint's headers and names only the endpoint.
 */
class ThrottleEndpointTest {

    private HttpServer server;
    private final List<String> tokens = new CopyOnWriteArrayList<>();

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/busy", exchange -> {
            tokens.add(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "0.42\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ProbeEndpoints endpoints() {
        ProbeEndpoints.Endpoint probe = new ProbeEndpoints.Endpoint("load-probe", URI.create("http://127.0.0.1:"
                + server.getAddress().getPort() + "/busy?token=secret"), Map.of("Authorization", "Bearer t0ken"));
        return name -> name.equals("load-probe") ? Optional.of(probe) : Optional.empty();
    }

    private static String runbook(String throttle) {
        return """
                apiVersion: runbook/v1
                name: throttled
                phases:
                  - name: copy
                    steps:
                      - id: copy
                        backfill:
                          from: { connection: legacy, table: orders }
                          to: { connection: target, table: orders_v2 }
                          key: [id]
                          throttle: %s
                """.formatted(throttle);
    }

    @Test
    void aRunbookThatNamesAUrlOrAnUnknownEndpointIsRefused() {
        RunbookParser parser = new RunbookParser(Set.of("legacy", "target"), Set.of("load-probe"));

        assertThatThrownBy(() -> parser.parse(runbook("{ url: \"http://169.254.169.254/latest\", max: 1 }"), "t.yaml"))
                .isInstanceOf(InvalidRunbookException.class)
                .hasMessageContaining("throttle.url: a runbook does not name addresses");
        assertThatThrownBy(() -> parser.parse(runbook("{ endpoint: elsewhere, max: 1 }"), "t.yaml"))
                .hasMessageContaining("throttle.endpoint: unknown webhook 'elsewhere'");
        assertThat(parser.parse(runbook("{ endpoint: load-probe, max: 1 }"), "t.yaml").phases().get(0).steps())
                .hasSize(1);
    }

    @Test
    void anEndpointProbeReadsTheNumberWithTheEndpointsHeadersAndNamesOnlyTheEndpoint() throws Exception {
        BackfillThrottle throttle = new BackfillThrottle(null, null, null, 1, "load-probe");
        try (ThrottleProbe probe = ThrottleProbe.of(null, endpoints(), throttle)) {
            assertThat(probe.read()).isEqualTo(ThrottleProbe.Reading.of(0.42));
        }
        assertThat(tokens).containsExactly("Bearer t0ken");
        assertThat(throttle.describe()).isEqualTo("endpoint load-probe");

        server.stop(0);
        try (ThrottleProbe probe = ThrottleProbe.of(null, endpoints(), throttle)) {
            assertThat(probe.read().problem()).startsWith("the probe endpoint load-probe failed").doesNotContain("secret");
        }
    }

    @Test
    void aUrlInARunbookLoadedBeforeEndpointsIsNotFetchedAndTheCopyWaits() throws Exception {
        BackfillThrottle old = new BackfillThrottle(null, null, "http://127.0.0.1:" + server.getAddress().getPort()
                + "/busy", 1, null);
        try (ThrottleProbe probe = ThrottleProbe.of(null, endpoints(), old)) {
            ThrottleProbe.Reading reading = probe.read();
            assertThat(reading.above(1)).isTrue();
            assertThat(reading.problem()).contains("the worker does not fetch");
        }
        assertThat(tokens).isEmpty();
    }
}
