package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three worker processes on one task queue share one migration: the slices of its backfill land on more than one of
 * them; one is SIGKILLed mid-copy; the other two finish the copy and the validation, with target == source and no
 * chunk written twice.
 */
class MultiWorkerIT {

    private static final Logger log = LoggerFactory.getLogger(MultiWorkerIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 300_000;
    private static final String ID = "multi-worker";

    @Test
    void threeWorkersShareOneBackfillAndTheSurvivorsFinishItWhenOneIsKilled() throws Exception {
        TestServices services = TestServices.get();
        TemporalCli temporal = new TemporalCli(services);
        OrdersDatabases dbs = new OrdersDatabases(services, "multi_worker", ROWS);
        ScenarioRun run = ScenarioRun.ofFile(temporal, ID, "worker/src/test/resources/it-runbooks/multi-worker.yaml");
        List<WorkerProcess> workers = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                workers.add(WorkerProcess.start(services, dbs.legacyUrl, dbs.targetUrl, "multi-worker-" + i + ".log"));
            }
            long started = System.nanoTime();
            run.start();
            String chunks = "select count(*) from runbook_copy_chunks";
            Awaits.targetSql(dbs, "select to_regclass('runbook_copy_chunks')::text", v -> v != null);
            Awaits.targetSql(dbs, chunks, v -> Long.parseLong(v) >= 30);
            WorkerProcess killed = workers.get(0);
            killed.kill();
            long chunksAtKill = Long.parseLong(dbs.scalar(dbs.targetUrl, chunks));
            assertThat(chunksAtKill).as("killed mid-copy").isLessThan(ROWS / 1_000);

            assertThat(run.result().at("/result/outcome").asText()).isEqualTo("COMPLETED");
            double seconds = (System.nanoTime() - started) / 1e9;

            assertThat(dbs.targetRows()).isEqualTo(ROWS);
            assertThat(dbs.targetChecksum()).isEqualTo(dbs.legacyChecksum());
            assertThat(dbs.scalar(dbs.targetUrl, "select sum(row_count) from runbook_copy_chunks"))
                    .as("no chunk written twice").isEqualTo(String.valueOf(ROWS));

            Map<String, Set<String>> copiedBy = workersByActivity(temporal, ID + "/backfill");
            Map<String, Set<String>> validatedBy = workersByActivity(temporal, ID + "/validate");
            Set<String> slicers = copiedBy.getOrDefault("CopySlice", Set.of());
            log.info("multi-worker: {} rows in {} s with 3 workers, one killed after {} chunks; slices finished by {},"
                    + " validation by {}", ROWS, String.format("%.1f", seconds), chunksAtKill, slicers, validatedBy);
            assertThat(slicers).as("workers that finished slices of the one backfill: " + copiedBy).hasSizeGreaterThanOrEqualTo(2);
            assertThat(validatedBy.values().stream().flatMap(Set::stream).toList())
                    .as("the validation ran on a survivor").isNotEmpty()
                    .noneMatch(identity -> identity.startsWith(killed.pid() + "@"));
        } finally {
            for (WorkerProcess worker : workers) {
                worker.close();
            }
        }
    }

    /** Activity type to the identities of the workers whose attempt completed it, from one workflow's history. */
    private static Map<String, Set<String>> workersByActivity(TemporalCli temporal, String workflowId)
            throws Exception {
        JsonNode events = JSON.readTree(temporal.run("temporal workflow show --workflow-id " + workflowId
                + " --output json")).at("/events");
        Map<String, String> typeByScheduled = new HashMap<>();
        Map<String, Set<String>> byType = new HashMap<>();
        for (JsonNode event : events) {
            JsonNode scheduled = event.path("activityTaskScheduledEventAttributes");
            if (!scheduled.isMissingNode()) {
                typeByScheduled.put(event.at("/eventId").asText(), scheduled.at("/activityType/name").asText());
            }
            JsonNode startedAttempt = event.path("activityTaskStartedEventAttributes");
            if (!startedAttempt.isMissingNode()) {
                String type = typeByScheduled.get(startedAttempt.at("/scheduledEventId").asText());
                byType.computeIfAbsent(type, t -> new TreeSet<>()).add(startedAttempt.at("/identity").asText());
            }
        }
        return byType;
    }
}
