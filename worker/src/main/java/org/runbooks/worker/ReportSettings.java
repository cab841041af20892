package org.runbooks.worker;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Where migration reports go, under {@code runbooks.reports:}. {@code dir}: the directory each ended runbook's
 * report is written to as Markdown and JSON; default {@code reports} (relative to the worker's working directory),
 * created when missing.
 */
@ConfigurationProperties("runbooks.reports")
public class ReportSettings {

    /** Default report directory: {@code reports}. */
    public static final String DEFAULT_DIR = "reports";

    private String dir = DEFAULT_DIR;

    public String getDir() {
        return dir;
    }

    public void setDir(String dir) {
        this.dir = dir;
    }
}
