package org.runbooks.api;

import org.runbooks.api.ApprovalKeys;
import org.runbooks.model.Runbook;

/**
 * A parsed runbook and the SHA-256 of the file it came from, so the report can say exactly which text ran, and the
 * approvers' public keys the worker's configuration names (recorded here so that every signed decision can be
 * checked from history alone; {@link ApprovalKeys#NONE} when none are configured, and in histories recorded before).
 */
public record LoadedRunbook(String file, String sha256, Runbook runbook, ApprovalKeys approvals) {

    public LoadedRunbook {
        approvals = approvals == null ? ApprovalKeys.NONE : approvals;
    }

    /** A runbook loaded by a worker without approver keys. */
    public LoadedRunbook(String file, String sha256, Runbook runbook) {
        this(file, sha256, runbook, ApprovalKeys.NONE);
    }
}
