package org.runbooks.step;

import io.temporal.workflow.Workflow;

/**
 * The {@code Workflow.getVersion} change ids that more than one package asks: the phase, its step runners and the
 * runbook must agree on them, so they live below all three.
 */
public final class StepChanges {

    /**
     * Change id of the phase that drives a backfill in slices, puts summaries on its timers and continues as new
     * when its history grows long; runs recorded before it take the single copyTable activity.
     */
    public static final String SLICES = "copy-slices";

    /**
     * Change id from which a rollback waits for a running flag change, SQL statement or key repair to stop before it
     * compensates (they were cancelled without waiting, and could commit after their undo), and a SQL step's revert
     * names its apply, so that it runs only if that apply committed.
     */
    public static final String STOP_BEFORE_UNDO = "stop-before-undo";

    private StepChanges() {
    }

    /** True from {@link #STOP_BEFORE_UNDO} on; runs recorded before it cancel without waiting. */
    public static boolean stopsBeforeUndo() {
        return Workflow.getVersion(STOP_BEFORE_UNDO, Workflow.DEFAULT_VERSION, 1) >= 1;
    }
}
