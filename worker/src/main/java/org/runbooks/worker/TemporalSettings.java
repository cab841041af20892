package org.runbooks.worker;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * How to reach the Temporal server, under {@code temporal:}. Everything here is optional and overrides what the
 * Temporal CLI's own configuration says: the {@code TEMPORAL_*} environment variables ({@code TEMPORAL_ADDRESS},
 * {@code TEMPORAL_NAMESPACE}, {@code TEMPORAL_API_KEY}, {@code TEMPORAL_TLS_*}) over the profile file
 * ({@code TEMPORAL_CONFIG_FILE}, else {@code ~/.config/temporalio/temporal.toml}; profile {@code TEMPORAL_PROFILE},
 * else {@code default}). With none of them the worker uses {@code 127.0.0.1:7233} and namespace {@code default},
 * over plaintext. {@link org.runbooks.worker.temporal.TemporalEndpoint} merges them.
 */
@ConfigurationProperties("temporal")
public class TemporalSettings {

    private String target;
    private String namespace;
    private String apiKey;
    private String profile;
    private String configFile;
    private Tls tls = new Tls();

    public String getTarget() {
        return target;
    }

    public void setTarget(String target) {
        this.target = target;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public String getApiKey() {
        return apiKey;
    }

    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    public String getProfile() {
        return profile;
    }

    public void setProfile(String profile) {
        this.profile = profile;
    }

    public String getConfigFile() {
        return configFile;
    }

    public void setConfigFile(String configFile) {
        this.configFile = configFile;
    }

    public Tls getTls() {
        return tls;
    }

    public void setTls(Tls tls) {
        this.tls = tls;
    }

    /**
     * {@code temporal.tls}: {@code enabled}, {@code server-ca-cert} (PEM file; default the JDK's trusted roots),
     * {@code server-name} (the name the server's certificate must carry; default the address's host),
     * {@code client-cert} and {@code client-key} (PEM files, for mTLS; the key in PKCS#8). The files are read again
     * at each new TLS handshake, so renewed certificates take effect without a restart.
     */
    @ConfigurationProperties("tls")
    public static class Tls {
        private Boolean enabled;
        private String serverCaCert;
        private String serverName;
        private String clientCert;
        private String clientKey;

        public Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        public String getServerCaCert() {
            return serverCaCert;
        }

        public void setServerCaCert(String serverCaCert) {
            this.serverCaCert = serverCaCert;
        }

        public String getServerName() {
            return serverName;
        }

        public void setServerName(String serverName) {
            this.serverName = serverName;
        }

        public String getClientCert() {
            return clientCert;
        }

        public void setClientCert(String clientCert) {
            this.clientCert = clientCert;
        }

        public String getClientKey() {
            return clientKey;
        }

        public void setClientKey(String clientKey) {
            this.clientKey = clientKey;
        }
    }
}
