package org.runbooks.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.temporal.failure.ApplicationFailure;
import org.runbooks.api.ReportFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes each runbook's report into one directory as {@code <workflow id>-<run id>.md} and {@code .json}. Reports are
 * audit artifacts, so one is never replaced: each file is written next to its final name and linked to it, which
 * fails when the name is taken (a reader never sees half a report, and two writers cannot both win). A retried
 * attempt that finds its own identical report already there is done; a different report under that name is refused.
 */
public class ReportActivitiesImpl implements ReportActivities {

    /** Failure type, retryable: the directory could not be created or written. */
    public static final String REPORT_NOT_WRITTEN = "ReportNotWritten";
    /** Failure type, non-retryable: a different report already has this run's file name; it is kept as it is. */
    public static final String REPORT_EXISTS = "ReportExists";

    private static final Logger log = LoggerFactory.getLogger(ReportActivitiesImpl.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    public ReportActivitiesImpl(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    @Override
    public ReportFiles writeReport(MigrationReport report) {
        String name = fileName(report.workflowId(), report.runId());
        try {
            Files.createDirectories(dir);
            Path markdown = write(dir.resolve(name + ".md"), MarkdownReport.render(report));
            Path json = write(dir.resolve(name + ".json"), JSON.writeValueAsString(report));
            log.info("runbook={} outcome={} report written to {} and {}", report.runbook(), report.outcome(),
                    markdown, json);
            return new ReportFiles(markdown.toString(), json.toString());
        } catch (ReportExistsException e) {
            throw ApplicationFailure.newNonRetryableFailure("report of " + report.runbook() + " not written: " + e.file
                    + " already holds a different report, which is kept", REPORT_EXISTS);
        } catch (IOException e) {
            throw ApplicationFailure.newFailure("report of " + report.runbook() + " could not be written to " + dir
                    + ": " + e, REPORT_NOT_WRITTEN);
        }
    }

    /**
     * The whole run id: a UUIDv7's first characters are its start time and stay the same for about a minute, so a
     * prefix of it would give two runs of one workflow id the same name. Letters, digits, dots, dashes and
     * underscores only: a workflow id may hold a slash.
     */
    static String fileName(String workflowId, String runId) {
        String run = runId == null ? "" : "-" + runId;
        return (workflowId + run).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /**
     * Writes {@code text} to a partial file and hard-links it to {@code file}: the link appears whole or not at all,
     * and, unlike a rename, fails when the name is taken. A name already holding exactly {@code text} is this
     * report's earlier attempt.
     */
    private static Path write(Path file, String text) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".partial");
        try {
            Files.writeString(partial, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            Files.createLink(file, partial);
        } catch (FileAlreadyExistsException e) {
            if (!text.equals(Files.readString(file, StandardCharsets.UTF_8))) {
                throw new ReportExistsException(file);
            }
            log.info("{} already holds this report (an earlier attempt wrote it)", file);
        } finally {
            Files.deleteIfExists(partial);
        }
        return file;
    }

    /** A different report already has the name. */
    private static final class ReportExistsException extends IOException {
        final Path file;

        ReportExistsException(Path file) {
            super(file + " exists");
            this.file = file;
        }
    }
}
