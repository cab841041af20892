package org.runbooks.worker.it;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs one of {@code bench/}'s scripts as README shows it, with {@code --results} pointing under
 * {@code worker/target}, and hands back the one report it wrote. A script that exits non-zero (a copy or a target
 * that differs from its source fails the run) fails the test with everything it printed.
 */
final class BenchScript {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private BenchScript() {
    }

    /**
     * Runs {@code bash bench/<script> <arguments> --results worker/target/<name>} within {@code limit} and returns the
     * text of the report whose file name ends with {@code reportSuffix}.
     */
    static String report(String script, String name, String reportSuffix, Duration limit, String... arguments)
            throws Exception {
        Path results = REPO.resolve("worker/target/" + name);
        File log = results.resolveSibling(name + ".log").toFile();
        Files.createDirectories(results);
        try (Stream<Path> earlier = Files.list(results)) {
            for (Path p : earlier.filter(p -> p.toString().endsWith(".md")).toList()) {
                Files.delete(p);
            }
        }
        List<String> command = new ArrayList<>(List.of("bash", "bench/" + script));
        command.addAll(List.of(arguments));
        command.addAll(List.of("--results", results.toString()));
        Process process = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true)
                .redirectOutput(log).start();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bench/" + script + " did not finish in " + limit + "; see " + log);
        }
        assertThat(process.exitValue()).as("bench/%s exits 0; it printed:%n%s", script,
                Files.readString(log.toPath(), StandardCharsets.UTF_8)).isZero();
        List<Path> reports;
        try (Stream<Path> files = Files.list(results)) {
            reports = files.filter(p -> p.getFileName().toString().endsWith(reportSuffix)).toList();
        }
        assertThat(reports).hasSize(1);
        return Files.readString(reports.get(0));
    }
}
