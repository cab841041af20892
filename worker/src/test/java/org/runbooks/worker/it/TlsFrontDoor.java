package org.runbooks.worker.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A TLS terminator (HAProxy from Debian's packages) in front of the test's Temporal dev server, which serves only
 * plaintext: one port that requires TLS, one that also requires a client certificate signed by the test CA. The
 * certificates are throwaway ones that openssl makes here: a CA, a server certificate for {@code temporal.test} and
 * 127.0.0.1, and a client certificate. HAProxy terminates TLS (advertising h2 for gRPC) and passes the bytes on.
 * A third port requires an API key, as Temporal Cloud does: HAProxy reads each gRPC call over HTTP/2 there and answers
 * 401 unless it carries {@code authorization: Bearer <key>} with {@link #apiKey()}, a key made afresh per start.
 */
public final class TlsFrontDoor implements AutoCloseable {

    /** The name the server certificate carries, which clients must ask for. */
    public static final String SERVER_NAME = "temporal.test";

    private final Path dir;
    private final Process haproxy;
    private final int tlsPort;
    private final int mtlsPort;
    private final int apiKeyPort;
    private final String apiKey;

    private TlsFrontDoor(Path dir, Process haproxy, int tlsPort, int mtlsPort, int apiKeyPort, String apiKey) {
        this.dir = dir;
        this.haproxy = haproxy;
        this.tlsPort = tlsPort;
        this.mtlsPort = mtlsPort;
        this.apiKeyPort = apiKeyPort;
        this.apiKey = apiKey;
    }

    /** Makes the certificates under {@code dir} and starts HAProxy in front of {@code temporalAddress}. */
    public static TlsFrontDoor start(Path dir, String temporalAddress) throws Exception {
        Files.createDirectories(dir);
        makeCertificates(dir);
        int tls = freePort();
        int mtls = freePort();
        int keyed = freePort();
        String key = "test-key-" + java.util.UUID.randomUUID();
        String pem = dir.resolve("server.pem").toAbsolutePath().toString();
        String ca = dir.resolve("ca.pem").toAbsolutePath().toString();
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, String.join("\n",
                "global",
                "  maxconn 500",
                "defaults",
                "  mode tcp",
                "  timeout connect 5s",
                "  timeout client 10m",
                "  timeout server 10m",
                "frontend tls",
                "  bind 127.0.0.1:" + tls + " ssl crt " + pem + " alpn h2",
                "  default_backend temporal",
                "frontend mtls",
                "  bind 127.0.0.1:" + mtls + " ssl crt " + pem + " alpn h2 ca-file " + ca + " verify required",
                "  default_backend temporal",
                "frontend apikey",
                "  mode http",
                "  bind 127.0.0.1:" + keyed + " ssl crt " + pem + " alpn h2",
                "  http-request return status 401 content-type text/plain string \"missing or wrong API key\\n\""
                        + " unless { req.hdr(authorization) -m str \"Bearer " + key + "\" }",
                "  default_backend temporal_h2",
                "backend temporal",
                "  server dev " + temporalAddress,
                "backend temporal_h2",
                "  mode http",
                "  server dev " + temporalAddress + " proto h2",
                ""));
        Process haproxy = new ProcessBuilder(haproxyBinary(), "-db", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        TlsFrontDoor door = new TlsFrontDoor(dir, haproxy, tls, mtls, keyed, key);
        door.awaitListening(tls);
        door.awaitListening(mtls);
        door.awaitListening(keyed);
        return door;
    }

    private static String haproxyBinary() {
        for (String candidate : List.of("/usr/sbin/haproxy", "/usr/bin/haproxy")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("HAProxy is missing: `.ci/run` installs Debian's haproxy package");
    }

    private static void makeCertificates(Path dir) throws IOException, InterruptedException {
        String ec = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";
        openssl(dir, "req -x509 " + ec + " -keyout ca.key -out ca.pem -days 2 -subj /CN=runbooks-test-ca");
        openssl(dir, "req " + ec + " -keyout server.key -out server.csr -subj /CN=" + SERVER_NAME);
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:" + SERVER_NAME + ",IP:127.0.0.1\n");
        openssl(dir, "x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.crt -days 2"
                + " -extfile server.ext");
        openssl(dir, "req " + ec + " -keyout client.key -out client.csr -subj /CN=runbooks-worker");
        openssl(dir, "x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 2");
        Files.writeString(dir.resolve("server.pem"),
                Files.readString(dir.resolve("server.crt")) + Files.readString(dir.resolve("server.key")));
    }

    private static void openssl(Path dir, String args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args.split(" ")));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl " + args + " failed:\n" + out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void awaitListening(int port) throws Exception {
        Awaits.until("HAProxy listening on " + port, Duration.ofSeconds(20), Duration.ofMillis(100), () -> {
            if (!haproxy.isAlive()) {
                throw new IllegalStateException("HAProxy exited; log:\n" + Files.readString(dir.resolve("haproxy.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        }, listening -> listening);
    }

    /** The address that requires TLS. */
    public String tlsAddress() {
        return "127.0.0.1:" + tlsPort;
    }

    /** The address that requires TLS and a client certificate signed by {@link #ca()}. */
    public String mtlsAddress() {
        return "127.0.0.1:" + mtlsPort;
    }

    /** The address that requires TLS and {@code authorization: Bearer <apiKey()>} on every call. */
    public String apiKeyAddress() {
        return "127.0.0.1:" + apiKeyPort;
    }

    /** The one key {@link #apiKeyAddress()} accepts. */
    public String apiKey() {
        return apiKey;
    }

    public Path ca() {
        return dir.resolve("ca.pem").toAbsolutePath();
    }

    public Path clientCert() {
        return dir.resolve("client.pem").toAbsolutePath();
    }

    public Path clientKey() {
        return dir.resolve("client.key").toAbsolutePath();
    }

    /** Stops HAProxy: every connection through it drops. */
    @Override
    public void close() throws InterruptedException {
        haproxy.destroy();
        if (!haproxy.waitFor(10, TimeUnit.SECONDS)) {
            haproxy.destroyForcibly().waitFor();
        }
    }
}
