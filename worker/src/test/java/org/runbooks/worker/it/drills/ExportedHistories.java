package org.runbooks.worker.it.drills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.runbooks.worker.it.TemporalCli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every history a runbook run left: each run (continue-as-new starts new ones) of the runbook's workflow and of each
 * of its phases, as {@code temporal workflow show --output json} prints them, keyed by workflow id and run id.
 */
final class ExportedHistories {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExportedHistories() {
    }

    /** The histories of {@code workflowId} and of every workflow whose id starts with {@code workflowId/}. */
    static Map<String, String> of(TemporalCli temporal, String workflowId) throws Exception {
        Map<String, String> histories = new LinkedHashMap<>();
        JsonNode executions = JSON.readTree(temporal.run("temporal workflow list --output json --limit 10000"));
        for (JsonNode execution : executions) {
            String id = execution.at("/execution/workflowId").asText();
            String run = execution.at("/execution/runId").asText();
            if (id.equals(workflowId) || id.startsWith(workflowId + "/")) {
                histories.put(id + " " + run, temporal.run("temporal workflow show --workflow-id " + id
                        + " --run-id " + run + " --output json"));
            }
        }
        return histories;
    }
}
