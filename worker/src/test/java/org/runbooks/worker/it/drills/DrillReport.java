package org.runbooks.worker.it.drills;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * One drill's row of figures, written to {@code worker/target/drills/<drill>.txt} as one tab-separated line (drill,
 * size, runs, outcome) so that {@code scripts/drills.sh} can print every drill's row in one table. Each drill is a
 * test method whose {@code @DisplayName} is the drill's name; it writes its row once its assertions have passed, and
 * {@link Watcher} writes a row saying FAILED and why when it fails, so a failure cannot leave an old row standing.
 */
final class DrillReport {

    static final Path DIR = Path.of("target", "drills");

    private DrillReport() {
    }

    static void passed(String drill, DrillSize size, String runs, String figures) {
        write(drill, size.label(), runs, figures);
    }

    private static void write(String drill, String size, String runs, String figures) {
        try {
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve(drill + ".txt"),
                    String.join("\t", drill, size, oneLine(runs), oneLine(figures)) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the figures of drill " + drill, e);
        }
    }

    private static String oneLine(String text) {
        return text.replace('\t', ' ').replace('\n', ' ');
    }

    /** A number with thousands separators, as the report prints row counts. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Seconds with one decimal. */
    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** Writes the FAILED row of a drill whose test failed. */
    static final class Watcher implements TestWatcher {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            String first = String.valueOf(cause.getMessage()).strip().lines().findFirst().orElse(cause.toString());
            write(context.getDisplayName(), DrillSize.current().label(), "-",
                    "FAILED: " + (first.length() > 300 ? first.substring(0, 300) + "..." : first));
        }
    }
}
