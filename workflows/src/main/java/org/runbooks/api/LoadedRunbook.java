package org.runbooks.api;

import org.runbooks.model.Runbook;

/** A parsed runbook and the SHA-256 of the file it came from, so the report can say exactly which text ran. */
public record LoadedRunbook(String file, String sha256, Runbook runbook) {
}
