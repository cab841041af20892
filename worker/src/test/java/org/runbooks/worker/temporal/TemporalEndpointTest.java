package org.runbooks.worker.temporal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.runbooks.worker.TemporalSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemporalEndpointTest {

    @TempDir
    Path dir;

    @Test
    void withoutAnyConfigurationItIsTheLocalDevServerInPlaintext() {
        TemporalEndpoint endpoint = TemporalEndpoint.resolve(new TemporalSettings(),
                Map.of("TEMPORAL_CONFIG_FILE", "", "HOME", dir.toString()));

        assertThat(endpoint.address()).isEqualTo("127.0.0.1:7233");
        assertThat(endpoint.namespace()).isEqualTo("default");
        assertThat(endpoint.tls()).isNull();
        assertThat(endpoint.apiKey()).isNull();
    }

    @Test
    void theEnvironmentOverridesTheProfileFileAndApplicationYmlOverridesBoth() throws Exception {
        Path file = dir.resolve("temporal.toml");
        Files.writeString(file, """
                [profile.prod]
                address = "from-file:7233"
                namespace = "file-ns"
                [profile.prod.tls]
                server_name = "file.example"
                """);
        Map<String, String> env = Map.of("TEMPORAL_CONFIG_FILE", file.toString(), "TEMPORAL_PROFILE", "prod",
                "TEMPORAL_NAMESPACE", "env-ns");
        TemporalSettings yml = new TemporalSettings();
        yml.setTarget("from-yml:7233");

        TemporalEndpoint endpoint = TemporalEndpoint.resolve(yml, env);

        assertThat(endpoint.address()).isEqualTo("from-yml:7233");
        assertThat(endpoint.namespace()).isEqualTo("env-ns");
        assertThat(endpoint.tls()).isNotNull();
        assertThat(endpoint.tls().serverName()).isEqualTo("file.example");
    }

    @Test
    void anApiKeyTurnsTlsOnAndIsNeverDescribed() {
        TemporalEndpoint endpoint = TemporalEndpoint.resolve(new TemporalSettings(),
                Map.of("TEMPORAL_ADDRESS", "ns.acct.tmprl.cloud:7233", "TEMPORAL_API_KEY", "secret-key-value",
                        "HOME", dir.toString()));

        assertThat(endpoint.tls()).isNotNull();
        assertThat(endpoint.describe()).contains("TLS", "API key").doesNotContain("secret-key-value");
        assertThat(endpoint.toString()).doesNotContain("secret-key-value");
    }

    @Test
    void aClientCertificateWithoutItsKeyIsRefusedBeforeAnyConnection() {
        TemporalSettings yml = new TemporalSettings();
        yml.getTls().setClientCert(dir.resolve("client.pem").toString());

        assertThatThrownBy(() -> TemporalEndpoint.resolve(yml, Map.of("HOME", dir.toString())))
                .hasMessageContaining("mTLS needs both a client certificate and its key");
    }

    @Test
    void aProfileNamedButMissingFromTheFileIsAnError() throws Exception {
        Path file = dir.resolve("temporal.toml");
        Files.writeString(file, "[profile.dev]\naddress = \"x:1\"\n");

        assertThatThrownBy(() -> TemporalEndpoint.resolve(new TemporalSettings(),
                Map.of("TEMPORAL_CONFIG_FILE", file.toString(), "TEMPORAL_PROFILE", "prod")))
                .hasMessageContaining("prod");
    }
}
