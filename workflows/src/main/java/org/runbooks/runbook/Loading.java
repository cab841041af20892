package org.runbooks.runbook;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import org.runbooks.api.LoadedRunbook;
import org.runbooks.api.RunbookRequest;
import org.runbooks.load.RunbookLoadActivities;

/** The start of a runbook: its input checked, its file loaded and checked, or the runbook failed at once. */
final class Loading {

    private Loading() {
    }

    /**
     * Fails the runbook, before anything runs, on an input with a field it does not know. Only such an input asks
     * for the version, and before it one could not start a runbook at all, so no earlier history holds one.
     */
    static void refuseUnknownFields(RunbookRequest request) {
        String refusal = request == null ? null : request.unknownFieldsRefusal();
        if (refusal != null
                && Workflow.getVersion(RunbookRequest.UNKNOWN_FIELDS_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
            throw ApplicationFailure.newNonRetryableFailure(refusal, RunbookRequest.INVALID_REQUEST);
        }
    }

    static LoadedRunbook load(RunbookLoadActivities loader, RunbookRequest request) {
        if (request == null || request.file() == null || request.file().isBlank()) {
            throw ApplicationFailure.newNonRetryableFailure("the input names the runbook file:"
                    + " {\"file\": \"runbooks/<name>.yaml\"}", RunbookRequest.INVALID_REQUEST);
        }
        try {
            return loader.loadRunbook(request.file());
        } catch (ActivityFailure e) {
            if (e.getCause() instanceof ApplicationFailure app) {
                throw ApplicationFailure.newNonRetryableFailure(app.getOriginalMessage(), app.getType());
            }
            throw e;
        }
    }
}
