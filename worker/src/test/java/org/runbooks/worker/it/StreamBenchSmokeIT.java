package org.runbooks.worker.it;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The change-capture benchmark ({@code bench/stream.sh}, README's Benchmark section) at its smallest: scale 1
 * (10,000 pgbench transactions, 40,001 changes) and 5 s of steady load, on the cluster it starts itself, with the
 * worker jar this build packaged. It must finish green (it fails when a target differs from the source) and write
 * its report with both catch-ups, their ratio and the lag table. About a minute; the figures are not judged here.
 */
class StreamBenchSmokeIT {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path RESULTS = REPO.resolve("worker/target/stream-bench-it");

    @Test
    void streamBenchRunsAtScaleOne() throws Exception {
        File log = RESULTS.resolveSibling("stream-bench-it.log").toFile();
        Files.createDirectories(RESULTS);
        try (Stream<Path> earlier = Files.list(RESULTS)) {
            for (Path p : earlier.filter(p -> p.toString().endsWith(".md")).toList()) {
                Files.delete(p);
            }
        }
        Process process = new ProcessBuilder("bash", "bench/stream.sh", "--scale", "1", "--seconds", "5",
                "--results", RESULTS.toString()).directory(REPO.toFile()).redirectErrorStream(true)
                .redirectOutput(log).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("bench/stream.sh did not finish in 5 minutes; see " + log);
        }
        assertThat(process.exitValue()).as("bench/stream.sh exits 0; it printed:%n%s",
                Files.readString(log.toPath(), StandardCharsets.UTF_8)).isZero();
        List<Path> reports;
        try (Stream<Path> files = Files.list(RESULTS)) {
            reports = files.filter(p -> p.getFileName().toString().endsWith("-stream-scale1.md")).toList();
        }
        assertThat(reports).hasSize(1);
        assertThat(Files.readString(reports.get(0)))
                .contains("| catch-up, native logical replication | ")
                .contains("| catch-up, ours (4 stream(s)) | ")
                .contains("| catch-up rate, ours vs native logical replication | ")
                .contains("| ours (newest row age behind the source) | ")
                .contains("every streamed table of both targets equals the source");
    }
}
