package org.runbooks.worker.temporal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.X509ExtendedKeyManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ReloadingTlsTest {

    @TempDir
    Path dir;

    @Test
    void aRenewedClientCertificateIsServedAtTheNextHandshakeWithoutARestart() throws Exception {
        Path cert = dir.resolve("client.pem");
        Path key = dir.resolve("client.key");
        selfSigned("first", cert, key, Instant.now().minusSeconds(60));
        var current = new ReloadingTls.Reloading<>(new TemporalEndpoint.Pem(cert, null),
                new TemporalEndpoint.Pem(key, null), ReloadingTls::keyManager);
        assertThat(subject(current.get())).contains("CN=first");

        selfSigned("renewed", cert, key, Instant.now());

        assertThat(subject(current.get())).contains("CN=renewed");
    }

    @Test
    void aHalfWrittenFileKeepsTheLastGoodCertificate() throws Exception {
        Path cert = dir.resolve("client.pem");
        Path key = dir.resolve("client.key");
        selfSigned("first", cert, key, Instant.now().minusSeconds(60));
        var current = new ReloadingTls.Reloading<>(new TemporalEndpoint.Pem(cert, null),
                new TemporalEndpoint.Pem(key, null), ReloadingTls::keyManager);

        Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nMIIB");
        Files.setLastModifiedTime(cert, FileTime.from(Instant.now()));

        assertThat(subject(current.get())).contains("CN=first");
    }

    private static String subject(X509ExtendedKeyManager keys) {
        String alias = keys.chooseClientAlias(new String[] {"EC"}, null, null);
        return keys.getCertificateChain(alias)[0].getSubjectX500Principal().getName();
    }

    private void selfSigned(String name, Path cert, Path key, Instant modified) throws Exception {
        Process p = new ProcessBuilder(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "1",
                "-subj", "/CN=" + name)).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).as("openssl").isTrue();
        Files.setLastModifiedTime(cert, FileTime.from(modified));
        Files.setLastModifiedTime(key, FileTime.from(modified));
    }
}
