package org.runbooks.load;

import io.temporal.failure.ApplicationFailure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a start request's runbook file may come from: a name is resolved against {@code workingDir} (as
 * {@code bin/runbooks plan FILE} resolves FILE against the current directory, so {@code runbooks/orders-to-v2.yaml}
 * names the same file in both) and must lie inside {@code baseDir}, the dedicated runbooks directory, after every
 * {@code ..} and every symbolic link is resolved; and it must be a {@code .yaml}, {@code .yml} or {@code .json} file.
 * So a request cannot make the worker read its own configuration or any other file it can see.
 *
 * @param baseDir    the only directory runbooks load from ({@code runbooks.base-dir}), absolute and normalized
 * @param workingDir what names are relative to ({@code runbooks.working-dir}), absolute and normalized
 */
public record RunbookFiles(Path baseDir, Path workingDir) {

    /** Failure type of every refusal: a retry cannot help. */
    public static final String RUNBOOK_NOT_FOUND = "RunbookNotFound";

    public RunbookFiles {
        baseDir = baseDir.toAbsolutePath().normalize();
        workingDir = workingDir.toAbsolutePath().normalize();
    }

    /** Names relative to {@code dir} itself, every file below it allowed. */
    public static RunbookFiles in(Path dir) {
        return new RunbookFiles(dir, dir);
    }

    /**
     * The file {@code file} names, checked.
     *
     * @throws ApplicationFailure {@value #RUNBOOK_NOT_FOUND}, non-retryable, saying why
     */
    public Path locate(String file) {
        Path path = workingDir.resolve(file).normalize();
        if (!path.startsWith(baseDir)) {
            throw refused("runbook path '" + file + "' leaves the runbooks base directory " + baseDir);
        }
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!(name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"))) {
            throw refused("runbook path '" + file + "' is not a .yaml, .yml or .json file");
        }
        if (!Files.isRegularFile(path)) {
            throw refused("no runbook file '" + file + "' under " + baseDir);
        }
        try {
            if (!path.toRealPath().startsWith(baseDir.toRealPath())) {
                throw refused("runbook path '" + file + "' leads out of the runbooks base directory " + baseDir
                        + " (through a symbolic link)");
            }
        } catch (IOException e) {
            throw refused("cannot resolve runbook path '" + file + "': " + e);
        }
        return path;
    }

    private static ApplicationFailure refused(String message) {
        return ApplicationFailure.newNonRetryableFailure(message, RUNBOOK_NOT_FOUND);
    }
}
