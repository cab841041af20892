package org.runbooks.worker.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scripts/services.sh} starts its dev server again on new ports when one it chose was taken before the server
 * bound it (a CI run started right after another once failed on "address already in use").
 */
class ServicesPortRetryIT {

    @Test
    void aDevServerWhosePortIsTakenStartsOnNewPorts() throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Path script = Path.of("src/test/resources/scripts/services-port-taken.sh").toAbsolutePath();
        Process process = new ProcessBuilder("bash", script.toString(), repo.toString()).redirectErrorStream(true)
                .start();
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("the script ends").isTrue();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.exitValue()).as("it printed:%n%s", out).isZero();
        assertThat(out).contains("a port was taken meanwhile; trying again on new ports");
        String busy = out.replaceAll("(?s).*busy (\\d+).*", "$1");
        assertThat(out).containsPattern("started 127\\.0\\.0\\.1:\\d+ busy")
                .doesNotContain("started 127.0.0.1:" + busy + " ");
    }
}
