package org.runbooks.runbook;

import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import org.runbooks.api.RunbookCarryOver;
import org.runbooks.api.RunbookRequest;

/**
 * Keeps a runbook's history bounded: between two phases (never while a phase's child runs), once the run's history
 * holds more than the limit or the server suggests it, the runbook continues as new with a {@link RunbookCarryOver}.
 * A long soak full of re-validations, a pause that lasts days of tune and resume commands, or a runbook of many phases
 * would otherwise run into Temporal's history limits (a warning at 10,240 events, the run terminated at 51,200).
 */
final class HistoryBound {

    /** The {@code Workflow.getVersion} change id that introduced continue-as-new; older runs never continue. */
    static final String CHANGE_ID = "runbook-can";

    /** Events one run may hold before it continues as new: 8,000, below the server's warning at 10,240. */
    static final int DEFAULT_EVENTS = 8_000;

    private final boolean enabled;
    private final int limit;

    private HistoryBound(boolean enabled, int limit) {
        this.enabled = enabled;
        this.limit = limit;
    }

    /** Asks {@code Workflow.getVersion} once, at the start of a run: a run that began before this change never continues. */
    static HistoryBound of(RunbookRequest request) {
        boolean enabled = Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) >= 1;
        Integer limit = request == null ? null : request.historyLimit();
        return new HistoryBound(enabled, limit == null ? DEFAULT_EVENTS : limit);
    }

    /** True when this run should hand over to a new one at this phase boundary. */
    boolean reached() {
        WorkflowInfo info = Workflow.getInfo();
        return enabled && (info.getHistoryLength() > limit || info.isContinueAsNewSuggested());
    }

    int limit() {
        return limit;
    }

    /**
     * Continues as new; never returns. Temporal hands the run's search attributes on to the next run by itself
     * (ContinueAsNewWorkflowTest checks it), and the new run upserts them again at once, so {@code temporal workflow
     * list --query} finds the runbook at every moment.
     */
    static void continueAsNew(RunbookRequest next) {
        Workflow.continueAsNew(next);
    }
}
