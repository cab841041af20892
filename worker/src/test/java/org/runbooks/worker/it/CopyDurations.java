package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * How long each copy step of a phase ran, from the start of its first activity to the completion of its last, as
 * the phase's history records them: the copy as the worker did it, without the queueing before it. Reads the
 * phase's latest run only, which for the small copies of the tests is the only one.
 */
final class CopyDurations {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CopyDurations() {
    }

    /** Step id to duration, for the phase child {@code phaseWorkflowId} ({@code <runbook id>/<phase>}). */
    static Map<String, Duration> of(TemporalCli temporal, String phaseWorkflowId) throws Exception {
        JsonNode history = JSON.readTree(temporal.run("temporal workflow show --workflow-id " + phaseWorkflowId
                + " --output json"));
        Map<String, String> stepOfActivity = new HashMap<>();
        Map<String, Instant> firstStart = new HashMap<>();
        Map<String, Instant> lastEnd = new HashMap<>();
        for (JsonNode event : history.at("/events")) {
            Instant at = Instant.parse(event.at("/eventTime").asText());
            switch (event.at("/eventType").asText()) {
                case "EVENT_TYPE_ACTIVITY_TASK_SCHEDULED" -> {
                    String input = event.at("/activityTaskScheduledEventAttributes/input/payloads/0/data").asText();
                    JsonNode request = JSON.readTree(Base64.getDecoder().decode(input));
                    stepOfActivity.put(event.at("/eventId").asText(), request.at("/step/id").asText());
                }
                case "EVENT_TYPE_ACTIVITY_TASK_STARTED" -> firstStart.putIfAbsent(stepOfActivity.get(
                        event.at("/activityTaskStartedEventAttributes/scheduledEventId").asText()), at);
                case "EVENT_TYPE_ACTIVITY_TASK_COMPLETED" -> lastEnd.put(stepOfActivity.get(
                        event.at("/activityTaskCompletedEventAttributes/scheduledEventId").asText()), at);
                default -> { }
            }
        }
        Map<String, Duration> took = new HashMap<>();
        lastEnd.forEach((step, end) -> took.put(step, Duration.between(firstStart.get(step), end)));
        return took;
    }

    /** {@code rows} over {@code took}, rounded. */
    static long rowsPerSecond(long rows, Duration took) {
        return Math.round(rows / (took.toNanos() / 1e9));
    }
}
