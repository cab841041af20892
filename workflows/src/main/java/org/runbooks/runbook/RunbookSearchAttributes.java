package org.runbooks.runbook;

import io.temporal.common.SearchAttributeKey;
import io.temporal.workflow.Workflow;
import org.runbooks.api.RunbookState;

import java.util.List;

/**
 * The custom search attributes a runbook keeps current, so that {@code temporal workflow list --query
 * 'RunbookState="AwaitingApproval"'} finds every runbook waiting on a human. The worker creates them at start-up
 * where the server allows it; README gives the commands for servers where it does not.
 */
public final class RunbookSearchAttributes {

    public static final SearchAttributeKey<String> NAME = SearchAttributeKey.forKeyword("RunbookName");
    public static final SearchAttributeKey<String> PHASE = SearchAttributeKey.forKeyword("RunbookPhase");
    public static final SearchAttributeKey<String> STATE = SearchAttributeKey.forKeyword("RunbookState");
    public static final SearchAttributeKey<String> WAITING_ON = SearchAttributeKey.forKeyword("RunbookWaitingOn");
    /**
     * How the runbook ended, set once when it does: {@code Completed}, {@code RolledBack},
     * {@code PartiallyRolledBack}, {@code Cancelled} or {@code Failed} (it could not run: a bad input or runbook).
     * Unset while it runs, so the Web UI's list tells completed from rolled back at a glance.
     */
    public static final SearchAttributeKey<String> OUTCOME = SearchAttributeKey.forKeyword("RunbookOutcome");

    /** Every key, for the worker's start-up check. */
    public static final List<SearchAttributeKey<String>> ALL = List.of(NAME, PHASE, STATE, WAITING_ON, OUTCOME);

    /** The {@code RunbookState} values of a runbook that waits on a person: a gate, a failed step, a pause. */
    public static final List<RunbookState> WAITING_ON_A_PERSON =
            List.of(RunbookState.AWAITING_APPROVAL, RunbookState.STEP_FAILED, RunbookState.PAUSED);

    /** Outcome values besides the ended states' own ({@link #stateValue}). */
    public static final String CANCELLED = "Cancelled";
    public static final String FAILED = "Failed";

    /** The change id of the {@code RunbookOutcome} upsert; runs recorded before it end without one. */
    static final String OUTCOME_CHANGE_ID = "runbook-outcome";

    /** The {@code Workflow.getVersion} change id that introduced these upserts; older histories replay without them. */
    static final String CHANGE_ID = "search-attributes";

    private RunbookSearchAttributes() {
    }

    /** The value {@code RunbookState} takes for a state: {@code AWAITING_APPROVAL} becomes {@code AwaitingApproval}. */
    public static String stateValue(RunbookState state) {
        StringBuilder value = new StringBuilder();
        for (String word : state.name().split("_")) {
            value.append(word.charAt(0)).append(word.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        return value.toString();
    }

    /**
     * Sets {@code RunbookOutcome} to {@code outcome} on a run that took the {@link #OUTCOME_CHANGE_ID} branch, in a
     * scope a cancellation cannot stop.
     */
    static void upsertOutcome(String outcome) {
        Workflow.newDetachedCancellationScope(() -> {
            if (Workflow.getVersion(OUTCOME_CHANGE_ID, Workflow.DEFAULT_VERSION, 1) >= 1) {
                Workflow.upsertTypedSearchAttributes(OUTCOME.valueSet(outcome));
            }
        }).run();
    }

    /** Upserts all four; {@code waitingOn} is empty when no gate waits. Only for runs that took the new branch. */
    static void upsert(String runbook, String phase, RunbookState state, String waitingOn) {
        Workflow.upsertTypedSearchAttributes(
                NAME.valueSet(runbook == null ? "" : runbook),
                PHASE.valueSet(phase == null ? "" : phase),
                STATE.valueSet(stateValue(state)),
                WAITING_ON.valueSet(waitingOn == null ? "" : waitingOn));
    }
}
