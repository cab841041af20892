package org.runbooks.worker.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A page checked in a real browser: runs {@code worker/src/test/browser/ui-check.mjs} (playwright-core driving
 * Debian's Chromium; nothing downloads a browser), which waits for each expected text and saves a screenshot.
 */
final class BrowserCheck {

    private static final Path FOLDER = Path.of("src", "test", "browser");

    private BrowserCheck() {
    }

    /** {@code output} has a {@code found:} or {@code missing:} line per expected text. */
    record Result(int exitCode, String output) {
    }

    static Result run(String url, Path screenshot, String... expected) throws IOException, InterruptedException {
        if (!Files.isDirectory(FOLDER.resolve("node_modules").resolve("playwright-core"))) {
            throw new IllegalStateException("playwright-core is not installed: run `npm ci` in "
                    + FOLDER.toAbsolutePath() + " (.ci/run does)");
        }
        Files.createDirectories(screenshot.toAbsolutePath().getParent());
        List<String> command = new ArrayList<>(List.of("node", "ui-check.mjs", url,
                screenshot.toAbsolutePath().toString()));
        command.addAll(List.of(expected));
        Process process = new ProcessBuilder(command).directory(FOLDER.toFile()).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the browser check of " + url + " did not finish in 5 minutes");
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
