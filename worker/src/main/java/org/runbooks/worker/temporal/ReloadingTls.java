package org.runbooks.worker.temporal;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * The worker's TLS context for gRPC, whose certificate files are read again whenever they change: every new TLS
 * handshake (a reconnect, or a new connection the channel opens) asks the key and trust managers below, and they
 * reload the PEM files when their modification time or size moved. A renewed client certificate or a rotated server
 * CA therefore takes effect without restarting the worker; a connection already established keeps the certificate
 * it was opened with, which servers accept until it expires.
 */
public final class ReloadingTls {

    private ReloadingTls() {
    }

    /** Builds the context for {@code tls}; fails at once (before any connection) when a file does not parse. */
    public static SslContext context(TemporalEndpoint.Tls tls) {
        SslContextBuilder builder = GrpcSslContexts.forClient();
        if (tls.serverCa() != null) {
            builder.trustManager(new Trust(new Reloading<>(tls.serverCa(), ReloadingTls::trustManager)));
        } else if (tls.insecure()) {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
        }
        if (tls.clientCert() != null) {
            builder.keyManager(new Keys(new Reloading<>(tls.clientCert(), tls.clientKey(), ReloadingTls::keyManager)));
        }
        try {
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot set up TLS to Temporal: " + e.getMessage(), e);
        }
    }

    /** A value parsed from one or two PEM sources, parsed again when a file's modification time or size changes. */
    static final class Reloading<T> {
        private final TemporalEndpoint.Pem first;
        private final TemporalEndpoint.Pem second;
        private final Function<byte[][], T> parse;
        private String stamp;
        private T value;

        Reloading(TemporalEndpoint.Pem only, Function<byte[][], T> parse) {
            this(only, null, parse);
        }

        Reloading(TemporalEndpoint.Pem first, TemporalEndpoint.Pem second, Function<byte[][], T> parse) {
            this.first = first;
            this.second = second;
            this.parse = parse;
            get();
        }

        synchronized T get() {
            String now = stamp(first) + "|" + stamp(second);
            if (value == null || !now.equals(stamp)) {
                try {
                    value = parse.apply(new byte[][] {first.read(), second == null ? null : second.read()});
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + first + (second == null ? "" : " or " + second), e);
                } catch (RuntimeException e) {
                    if (value == null) {
                        throw new IllegalArgumentException("cannot use " + first
                                + (second == null ? "" : " and " + second) + ": " + e.getMessage(), e);
                    }
                    // A file caught half-written: keep the last good value and try again at the next handshake.
                    return value;
                }
                stamp = now;
            }
            return value;
        }

        private static String stamp(TemporalEndpoint.Pem pem) {
            if (pem == null || pem.file() == null) {
                return "";
            }
            try {
                return Files.getLastModifiedTime(pem.file()).toMillis() + ":" + Files.size(pem.file());
            } catch (IOException e) {
                return "missing";
            }
        }
    }

    private static X509ExtendedTrustManager trustManager(byte[][] pem) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate cert : certificates(pem[0])) {
                store.setCertificateEntry("ca-" + i++, cert);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return (X509ExtendedTrustManager) factory.getTrustManagers()[0];
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    static X509ExtendedKeyManager keyManager(byte[][] pem) {
        try {
            List<? extends Certificate> chain = certificates(pem[0]);
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            char[] none = new char[0];
            store.setKeyEntry("client", privateKey(pem[1]), none, chain.toArray(new Certificate[0]));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, none);
            return (X509ExtendedKeyManager) factory.getKeyManagers()[0];
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static List<? extends Certificate> certificates(byte[] pem) throws CertificateException {
        List<? extends Certificate> certs = List.copyOf(CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem)));
        if (certs.isEmpty()) {
            throw new CertificateException("no certificate in it");
        }
        return certs;
    }

    /** A PKCS#8 key ({@code BEGIN PRIVATE KEY}) of any algorithm the JDK knows: RSA, EC or Ed25519. */
    static PrivateKey privateKey(byte[] pem) throws GeneralSecurityException {
        String text = new String(pem, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN PRIVATE KEY-----";
        int start = text.indexOf(begin);
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (start < 0 || end < start) {
            throw new GeneralSecurityException("the client key must be PEM in PKCS#8 (BEGIN PRIVATE KEY); convert "
                    + "another form with `openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8`");
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(start + begin.length(), end));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        GeneralSecurityException last = null;
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException("the client key is in no algorithm the JDK reads", last);
    }

    /** Asks {@link Reloading} for the current trust manager at every check, so a rotated CA file is used at once. */
    private static final class Trust extends X509ExtendedTrustManager {
        private final Reloading<X509ExtendedTrustManager> current;

        Trust(Reloading<X509ExtendedTrustManager> current) {
            this.current = current;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            current.get().checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            current.get().checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            current.get().checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            current.get().checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            current.get().checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            current.get().checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return current.get().getAcceptedIssuers();
        }
    }

    /** Asks {@link Reloading} for the current key manager at every handshake, so a renewed certificate is sent. */
    private static final class Keys extends X509ExtendedKeyManager {
        private final Reloading<X509ExtendedKeyManager> current;

        Keys(Reloading<X509ExtendedKeyManager> current) {
            this.current = current;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return current.get().getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return current.get().chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return current.get().chooseEngineClientAlias(keyType, issuers, engine);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return current.get().getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return current.get().chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return current.get().getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return current.get().getPrivateKey(alias);
        }
    }
}
