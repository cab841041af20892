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

    /** Every key, for the worker's start-up check. */
    public static final List<SearchAttributeKey<String>> ALL = List.of(NAME, PHASE, STATE, WAITING_ON);

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

    /** Upserts all four; {@code waitingOn} is empty when no gate waits. Only for runs that took the new branch. */
    static void upsert(String runbook, String phase, RunbookState state, String waitingOn) {
        Workflow.upsertTypedSearchAttributes(
                NAME.valueSet(runbook == null ? "" : runbook),
                PHASE.valueSet(phase == null ? "" : phase),
                STATE.valueSet(stateValue(state)),
                WAITING_ON.valueSet(waitingOn == null ? "" : waitingOn));
    }
}
