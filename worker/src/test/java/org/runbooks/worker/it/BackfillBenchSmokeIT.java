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
 * The backfill benchmark ({@code bench/run.sh}, README's Benchmark section) at its smallest: scale 1 (100,000
 * pgbench_accounts rows) on the services it starts itself, with the worker jar this build packaged. It must finish
 * green (it fails when a copy differs from its source or a comparison names other keys than the three it changed)
 * and write its report with every copy, its CPU-seconds and the ratios against the targets. A few minutes; the
 * figures are not judged here.
 */
class BackfillBenchSmokeIT {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path RESULTS = REPO.resolve("worker/target/backfill-bench-it");

    @Test
    void backfillBenchRunsAtScaleOne() throws Exception {
        File log = RESULTS.resolveSibling("backfill-bench-it.log").toFile();
        Files.createDirectories(RESULTS);
        try (Stream<Path> earlier = Files.list(RESULTS)) {
            for (Path p : earlier.filter(p -> p.toString().endsWith(".md")).toList()) {
                Files.delete(p);
            }
        }
        Process process = new ProcessBuilder("bash", "bench/run.sh", "--scale", "1", "--results",
                RESULTS.toString()).directory(REPO.toFile()).redirectErrorStream(true).redirectOutput(log).start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("bench/run.sh did not finish in 10 minutes; see " + log);
        }
        assertThat(process.exitValue()).as("bench/run.sh exits 0; it printed:%n%s",
                Files.readString(log.toPath(), StandardCharsets.UTF_8)).isZero();
        List<Path> reports;
        try (Stream<Path> files = Files.list(RESULTS)) {
            reports = files.filter(p -> p.getFileName().toString().endsWith("-scale1.md")).toList();
        }
        assertThat(reports).hasSize(1);
        assertThat(Files.readString(reports.get(0)))
                .contains("| raw COPY pipe (psql to psql) | ")
                .contains("| backfill, parallelism 1 | ")
                .contains("| backfill, parallelism 4 | ")
                .containsPattern("\\| backfill, parallelism 1 \\|[^\\n]*databases [0-9.]+ \\+ worker [0-9.]+ \\+ Temporal")
                .contains("| backfill, parallelism 1 vs raw COPY pipe (rows/s) | ")
                .contains("| CPU-seconds, backfill, parallelism 1 vs raw COPY pipe | ")
                .contains("| validation, runbook | ");
    }
}
