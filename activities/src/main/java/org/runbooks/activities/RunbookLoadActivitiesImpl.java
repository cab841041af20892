package org.runbooks.activities;

import io.temporal.failure.ApplicationFailure;
import org.runbooks.activity.LoadedRunbook;
import org.runbooks.activity.RunbookLoadActivities;
import org.runbooks.model.Runbook;
import org.runbooks.parse.InvalidRunbookException;
import org.runbooks.parse.RunbookParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/** Reads runbook files below one base directory and checks them with {@link RunbookParser}. */
public class RunbookLoadActivitiesImpl implements RunbookLoadActivities {

    /** Failure types a retry cannot fix. */
    public static final String INVALID_RUNBOOK = "InvalidRunbook";
    public static final String RUNBOOK_NOT_FOUND = "RunbookNotFound";

    private final Path baseDir;
    private final Set<String> connectionNames;

    public RunbookLoadActivitiesImpl(Path baseDir, Set<String> connectionNames) {
        this.baseDir = baseDir.toAbsolutePath().normalize();
        this.connectionNames = Set.copyOf(connectionNames);
    }

    @Override
    public LoadedRunbook loadRunbook(String file) {
        Path path = baseDir.resolve(file).normalize();
        if (!path.startsWith(baseDir)) {
            throw ApplicationFailure.newNonRetryableFailure("runbook path '" + file + "' leaves the runbooks base "
                    + "directory " + baseDir, RUNBOOK_NOT_FOUND);
        }
        if (!Files.isRegularFile(path)) {
            throw ApplicationFailure.newNonRetryableFailure("no runbook file '" + file + "' under " + baseDir,
                    RUNBOOK_NOT_FOUND);
        }
        try {
            byte[] bytes = Files.readAllBytes(path);
            Runbook runbook = new RunbookParser(connectionNames).parse(new String(bytes, StandardCharsets.UTF_8), file);
            return new LoadedRunbook(file, sha256(bytes), runbook);
        } catch (InvalidRunbookException e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), INVALID_RUNBOOK, e.errors().toString());
        } catch (IOException e) {
            throw ApplicationFailure.newFailure("cannot read " + path + ": " + e.getMessage(), "RunbookUnreadable");
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
