package org.runbooks.worker.it.drills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.runbooks.worker.it.TemporalCli;

import java.util.ArrayList;
import java.util.List;

/**
 * The activities a workflow is waiting on, as {@code temporal workflow describe --output json} shows them: the only
 * place an operator sees that an activity is being retried, which attempt it is on and why the last one failed.
 */
record PendingActivities(String workflowId, List<Pending> activities) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One pending activity; {@code lastFailure} is null until an attempt has failed. */
    record Pending(String type, String state, int attempt, String lastFailure, String lastHeartbeat) {
    }

    static PendingActivities of(TemporalCli temporal, String workflowId) throws Exception {
        TemporalCli.Result described = temporal.tryRun("temporal workflow describe --workflow-id " + workflowId
                + " --output json");
        List<Pending> pending = new ArrayList<>();
        if (described.exitCode() == 0) {
            for (JsonNode a : JSON.readTree(described.output()).path("pendingActivities")) {
                JsonNode failure = a.path("lastFailure");
                pending.add(new Pending(a.at("/activityType/name").asText(), a.path("state").asText(),
                        a.path("attempt").asInt(), failure.isMissingNode() ? null : failure.path("message").asText(),
                        a.path("lastHeartbeatTime").asText(null)));
            }
        }
        return new PendingActivities(workflowId, pending);
    }

    /** The first pending activity that has failed at least once, if any. */
    java.util.Optional<Pending> retrying() {
        return activities.stream().filter(a -> a.lastFailure() != null).findFirst();
    }

    @Override
    public String toString() {
        return "pending activities of " + workflowId + ": " + activities;
    }
}
