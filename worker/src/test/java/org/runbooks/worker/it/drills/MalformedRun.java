package org.runbooks.worker.it.drills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.runbooks.worker.it.TemporalCli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One runbook from the malformed corpus started as an operator would, and what its history says afterwards: how it
 * ended, the failure's message, and which activities and child workflows it started. The corpus's
 * {@code <file>.expect} lists the errors it must report, as {@code LINE:COLUMN PATH: MESSAGE}.
 */
record MalformedRun(String file, String workflowId, List<String> expectedErrors) {

    static final Path CORPUS = Path.of("..", "workflows", "src", "test", "resources", "corpus", "malformed");
    private static final ObjectMapper JSON = new ObjectMapper();

    static MalformedRun of(String name) throws IOException {
        List<String> lines = Files.readString(CORPUS.resolve(name + ".expect")).lines()
                .filter(l -> !l.isBlank() && !l.equals("schema: accepts")).toList();
        // What the worker prints for a corpus line: file:LINE:COLUMN: PATH: MESSAGE, with real line breaks.
        String file = "workflows/src/test/resources/corpus/malformed/" + name;
        // A message that repeats is one line with the count (RunbookErrorLines), as the worker prints it.
        List<String> errors = org.runbooks.parse.RunbookErrorLines.of(lines.stream().map(l -> error(file, l)).toList());
        return new MalformedRun(file, "drill-bad-" + name.replace('.', '-'), errors);
    }

    /** A corpus line, {@code LINE:COLUMN PATH: MESSAGE}, as the error it names. */
    private static org.runbooks.parse.RunbookError error(String file, String line) {
        String[] where = line.substring(0, line.indexOf(' ')).split(":");
        String rest = line.substring(line.indexOf(' ') + 1).replace("\\n", "\n");
        int colon = rest.indexOf(": ");
        return new org.runbooks.parse.RunbookError(file, Integer.parseInt(where[0]), Integer.parseInt(where[1]),
                rest.substring(0, colon), rest.substring(colon + 2));
    }

    /** The corpus's runbook files, by name. */
    static List<String> names() throws IOException {
        try (var listing = Files.list(CORPUS)) {
            return listing.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") || n.endsWith(".json")).sorted().toList();
        }
    }

    void start(TemporalCli temporal) {
        temporal.run("temporal workflow start --type Runbook --task-queue runbooks --workflow-id " + workflowId
                + " --input '{\"file\":\"" + file + "\",\"startedBy\":\"alice\"}'");
    }

    /** The run's history once it has closed. */
    Outcome outcome(TemporalCli temporal) throws IOException {
        JsonNode events = JSON.readTree(temporal.run("temporal workflow show --workflow-id " + workflowId
                + " --output json")).path("events");
        String closed = null;
        String failure = null;
        List<String> activities = new ArrayList<>();
        int children = 0;
        for (JsonNode event : events) {
            String type = event.path("eventType").asText();
            switch (type) {
                case "EVENT_TYPE_ACTIVITY_TASK_SCHEDULED" ->
                        activities.add(event.at("/activityTaskScheduledEventAttributes/activityType/name").asText());
                case "EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED" -> children++;
                case "EVENT_TYPE_WORKFLOW_EXECUTION_FAILED" -> {
                    closed = type;
                    failure = event.at("/workflowExecutionFailedEventAttributes/failure/message").asText();
                }
                case "EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED", "EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT",
                     "EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED", "EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED" ->
                        closed = type;
                default -> {
                }
            }
        }
        return new Outcome(closed, failure, activities, children);
    }

    /** How the run closed (null while open), its failure message, the activity types it scheduled, its children. */
    record Outcome(String closed, String failure, List<String> activities, int children) {
    }
}
