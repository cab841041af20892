package org.runbooks.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.temporal.failure.ApplicationFailure;
import org.runbooks.report.MigrationReport;
import org.runbooks.report.ReportActivities;
import org.runbooks.report.ReportFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes each runbook's report into one directory as {@code <workflow id>-<run id prefix>.md} and {@code .json}. Each
 * file is written next to its final name and moved over it, so a reader never sees half a report and a retried
 * attempt replaces the file whole.
 */
public class ReportActivitiesImpl implements ReportActivities {

    /** Failure type, retryable: the directory could not be created or written. */
    public static final String REPORT_NOT_WRITTEN = "ReportNotWritten";
    /** How much of the run id the file name keeps: 8 characters tell runs of one workflow id apart. */
    static final int RUN_ID_CHARS = 8;

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
        } catch (IOException e) {
            throw ApplicationFailure.newFailure("report of " + report.runbook() + " could not be written to " + dir
                    + ": " + e, REPORT_NOT_WRITTEN);
        }
    }

    /** Letters, digits, dots, dashes and underscores only: a workflow id may hold a slash. */
    static String fileName(String workflowId, String runId) {
        String run = runId == null ? "" : "-" + runId.substring(0, Math.min(RUN_ID_CHARS, runId.length()));
        return (workflowId + run).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static Path write(Path file, String text) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(partial, text, StandardCharsets.UTF_8);
        return Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
