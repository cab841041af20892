package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One run of a runbook from {@code runbooks/}, driven only through the {@code temporal} commands README documents.
 * Durations can be shortened: the runbook is copied with them replaced (so tests do not wait out a real soak) into
 * worker/target/scenario-runbooks, which the worker reads like any other runbook under its base directory.
 */
public final class ScenarioRun {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TemporalCli temporal;
    private final String workflowId;
    private final String file;

    private ScenarioRun(TemporalCli temporal, String workflowId, String file) {
        this.temporal = temporal;
        this.workflowId = workflowId;
        this.file = file;
    }

    /** Copies {@code runbooks/<name>.yaml} with each duration in {@code shorter} replaced, and names the run. */
    public static ScenarioRun of(TemporalCli temporal, String name, Map<String, String> shorter) throws Exception {
        String text = Files.readString(Path.of("..", "runbooks", name + ".yaml"));
        for (var entry : shorter.entrySet()) {
            String duration = ": " + entry.getKey();
            if (!text.contains(duration)) {
                throw new IllegalArgumentException(name + " has no duration " + entry.getKey() + " to shorten");
            }
            text = text.replace(duration, ": " + entry.getValue());
        }
        Path copy = Path.of("target", "scenario-runbooks", name + ".yaml");
        Files.createDirectories(copy.getParent());
        Files.writeString(copy, text);
        return new ScenarioRun(temporal, name, "worker/target/scenario-runbooks/" + name + ".yaml");
    }

    /** A runbook file below the repository root, run as it is, under the workflow id {@code workflowId}. */
    public static ScenarioRun ofFile(TemporalCli temporal, String workflowId, String file) {
        return new ScenarioRun(temporal, workflowId, file);
    }

    public String workflowId() {
        return workflowId;
    }

    public void start() {
        temporal.run("temporal workflow start --type Runbook --task-queue runbooks --workflow-id " + workflowId
                + " --input '{\"file\":\"" + file + "\",\"startedBy\":\"alice\"}'");
    }

    public String statusCommand() {
        return "temporal workflow query --workflow-id " + workflowId + " --name status";
    }

    /** Waits until the named gate is open, and returns the status then. */
    public JsonNode awaitGate(String gate) throws Exception {
        return Awaits.status(temporal, statusCommand(), s -> gate.equals(s.at("/gate/gate").asText()));
    }

    public void approve(String gate, String by) {
        decide("approve", gate, by, "looks right");
    }

    public void reject(String gate, String by, String comment) {
        decide("reject", gate, by, comment);
    }

    private void decide(String signal, String gate, String by, String comment) {
        temporal.run("temporal workflow signal --workflow-id " + workflowId + " --name " + signal + " --input '{\"gate\":\""
                + gate + "\",\"by\":\"" + by + "\",\"comment\":\"" + comment + "\"}'");
    }

    /** README's resolveFailure command for a step that failed and paused. */
    public void resolveFailure(String step, String action, String by, String reason) {
        temporal.run("temporal workflow signal --workflow-id " + workflowId + " --name resolveFailure --input '{\"step\":\""
                + step + "\",\"action\":\"" + action + "\",\"by\":\"" + by + "\",\"reason\":\"" + reason + "\"}'");
    }

    /**
     * Terminates the run (and its phases) if it is still open, as after a failed test, so that its activities cannot
     * reach the next test's worker. A run that has ended is left as it is.
     */
    public void terminateIfOpen() {
        temporal.tryRun("temporal workflow terminate --workflow-id " + workflowId + " --reason test-ended");
    }

    /** Waits for the runbook to end and returns {@code temporal workflow result} as JSON. */
    public JsonNode result() throws Exception {
        return JSON.readTree(temporal.run("temporal workflow result --workflow-id " + workflowId + " --output json"));
    }
}
