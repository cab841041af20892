package org.runbooks.api;

/** Where a runbook's report was written, as paths on the worker that wrote it. */
public record ReportFiles(String markdown, String json) {
}
