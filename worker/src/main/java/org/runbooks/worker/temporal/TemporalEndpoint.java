package org.runbooks.worker.temporal;

import io.grpc.Metadata;
import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.envconfig.ClientConfigTLS;
import io.temporal.envconfig.LoadClientConfigProfileOptions;
import org.runbooks.worker.TemporalSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where and how the worker reaches Temporal, resolved the way the Temporal CLI resolves it, so one profile serves
 * the operator's {@code temporal} commands and the worker: the profile file, then the {@code TEMPORAL_*} variables
 * over it (both read by the SDK's environment configuration module), then {@code temporal.*} in
 * {@code application.yml} over both. TLS is on when any TLS setting or an API key is given, unless disabled.
 *
 * @param address   host:port of the frontend; default {@code 127.0.0.1:7233}
 * @param namespace default {@code default}
 * @param apiKey    sent as a bearer token on every call, or null
 * @param tls       the TLS material, or null for plaintext
 * @param metadata  extra gRPC headers from {@code TEMPORAL_GRPC_META_*}, or null
 */
public record TemporalEndpoint(String address, String namespace, String apiKey, Tls tls, Metadata metadata) {

    /** The address without any configuration: the local dev server's. */
    public static final String DEFAULT_ADDRESS = "127.0.0.1:7233";
    /** The namespace without any configuration. */
    public static final String DEFAULT_NAMESPACE = "default";

    /**
     * Certificates and keys as PEM, each from a file (read again at every handshake) or given inline.
     *
     * @param serverCa   the CA the server's certificate must chain to; null trusts the JDK's roots
     * @param serverName the name the server's certificate must carry, and the SNI sent; null uses the address's host
     * @param clientCert the client certificate chain for mTLS, or null
     * @param clientKey  its PKCS#8 private key, or null
     * @param insecure   accept any server certificate (never in production; only without {@code serverCa})
     */
    public record Tls(Pem serverCa, String serverName, Pem clientCert, Pem clientKey, boolean insecure) {
    }

    /** PEM text from a file or inline. */
    public record Pem(Path file, byte[] data) {

        static Pem of(String file, byte[] data) {
            if (file != null && !file.isBlank()) {
                return new Pem(Path.of(file), null);
            }
            return data == null || data.length == 0 ? null : new Pem(null, data);
        }

        public byte[] read() throws IOException {
            return file != null ? Files.readAllBytes(file) : data;
        }

        /** What a log line or an error may show: the file name, never inline key material. */
        @Override
        public String toString() {
            return file != null ? file.toString() : "(inline PEM)";
        }
    }

    /** Resolves the endpoint from the process's environment and the CLI's profile file, under {@code settings}. */
    public static TemporalEndpoint resolve(TemporalSettings settings) {
        return resolve(settings, System.getenv());
    }

    /** As {@link #resolve(TemporalSettings)}, with {@code env} standing for the environment. */
    public static TemporalEndpoint resolve(TemporalSettings settings, Map<String, String> env) {
        ClientConfigProfile profile = load(settings, env);
        String address = first(settings.getTarget(), profile.getAddress(), DEFAULT_ADDRESS);
        String namespace = first(settings.getNamespace(), profile.getNamespace(), DEFAULT_NAMESPACE);
        String apiKey = first(settings.getApiKey(), profile.getApiKey(), null);
        return new TemporalEndpoint(address, namespace, apiKey, tls(settings.getTls(), profile.getTls(), apiKey),
                profile.getMetadata());
    }

    private static ClientConfigProfile load(TemporalSettings settings, Map<String, String> env) {
        LoadClientConfigProfileOptions.Builder options = LoadClientConfigProfileOptions.newBuilder()
                .setEnvOverrides(env)
                .setConfigFileProfile(settings.getProfile());
        String file = first(settings.getConfigFile(), env.get("TEMPORAL_CONFIG_FILE"), null);
        if (file != null) {
            if (!Files.isReadable(Path.of(file))) {
                throw new IllegalArgumentException("the Temporal profile file " + file + " cannot be read");
            }
            options.setConfigFilePath(file);
        }
        try {
            return ClientConfigProfile.load(options.build());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read the Temporal client profile"
                    + (file == null ? "" : " from " + file) + ": " + e.getMessage(), e);
        }
    }

    private static Tls tls(TemporalSettings.Tls yml, ClientConfigTLS profile, String apiKey) {
        ClientConfigTLS p = profile == null ? ClientConfigTLS.getDefaultInstance() : profile;
        Pem ca = yml.getServerCaCert() != null ? Pem.of(yml.getServerCaCert(), null)
                : Pem.of(p.getServerCACertPath(), p.getServerCACertData());
        Pem cert = yml.getClientCert() != null ? Pem.of(yml.getClientCert(), null)
                : Pem.of(p.getClientCertPath(), p.getClientCertData());
        Pem key = yml.getClientKey() != null ? Pem.of(yml.getClientKey(), null)
                : Pem.of(p.getClientKeyPath(), p.getClientKeyData());
        String serverName = first(yml.getServerName(), p.getServerName(), null);
        boolean insecure = Boolean.TRUE.equals(p.isDisableHostVerification());
        Boolean enabled = yml.getEnabled() != null ? yml.getEnabled()
                : p.isDisabled() == null ? null : !p.isDisabled();
        boolean anyTls = ca != null || cert != null || key != null || serverName != null || insecure;
        if (enabled == null) {
            enabled = anyTls || apiKey != null || profile != null;
        }
        if (!enabled) {
            return null;
        }
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("mTLS needs both a client certificate and its key; only the "
                    + (cert == null ? "key" : "certificate") + " is configured (temporal.tls.client-cert and "
                    + "client-key, or TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH)");
        }
        for (Pem pem : new Pem[] {ca, cert, key}) {
            if (pem != null && pem.file() != null && !Files.isReadable(pem.file())) {
                throw new IllegalArgumentException("the TLS file " + pem.file() + " cannot be read");
            }
        }
        return new Tls(ca, serverName, cert, key, insecure && ca == null);
    }

    private static String first(String a, String b, String fallback) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        return b != null && !b.isBlank() ? b : fallback;
    }

    /** For logs: where, which namespace, and how it authenticates; never the key itself. */
    public String describe() {
        StringBuilder s = new StringBuilder(address).append(" (namespace ").append(namespace);
        if (tls == null) {
            s.append(", plaintext");
        } else {
            s.append(", TLS");
            if (tls.serverCa() != null) {
                s.append(" trusting ").append(tls.serverCa());
            }
            if (tls.serverName() != null) {
                s.append(" as ").append(tls.serverName());
            }
            if (tls.clientCert() != null) {
                s.append(", client certificate ").append(tls.clientCert());
            }
            if (tls.insecure()) {
                s.append(", SERVER CERTIFICATE NOT VERIFIED");
            }
        }
        if (apiKey != null) {
            s.append(", API key");
        }
        return s.append(')').toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
