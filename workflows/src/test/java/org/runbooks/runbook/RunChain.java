package org.runbooks.runbook;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The runs of one workflow id, oldest first, found by walking back from the latest run through each run's
 * {@code continuedExecutionRunId}: what the server itself records about continue-as-new.
 */
record RunChain(List<String> runIds, List<WorkflowExecutionHistory> runs) {

    static RunChain of(WorkflowClient client, String workflowId) {
        List<String> ids = new ArrayList<>();
        List<WorkflowExecutionHistory> runs = new ArrayList<>();
        String runId = client.newUntypedWorkflowStub(workflowId).describe().getExecution().getRunId();
        while (!runId.isEmpty()) {
            WorkflowExecutionHistory run = client.fetchHistory(workflowId, runId);
            ids.add(runId);
            runs.add(run);
            runId = started(run).getContinuedExecutionRunId();
        }
        Collections.reverse(ids);
        Collections.reverse(runs);
        return new RunChain(ids, runs);
    }

    int size() {
        return runs.size();
    }

    String runId(int index) {
        return runIds.get(index);
    }

    static WorkflowExecutionStartedEventAttributes started(WorkflowExecutionHistory run) {
        return run.getEvents().get(0).getWorkflowExecutionStartedEventAttributes();
    }

    /** How many signals with one of these names the run at {@code index} received. */
    long signals(int index, Set<String> names) {
        return runs.get(index).getEvents().stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
                .map(HistoryEvent::getWorkflowExecutionSignaledEventAttributes)
                .filter(s -> names.contains(s.getSignalName()))
                .count();
    }

    long signals(Set<String> names) {
        long total = 0;
        for (int i = 0; i < runs.size(); i++) {
            total += signals(i, names);
        }
        return total;
    }
}
