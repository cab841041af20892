package org.runbooks.worker.it.drills;

import com.fasterxml.jackson.databind.JsonNode;
import org.runbooks.worker.it.Awaits;
import org.runbooks.worker.it.OrdersDatabases;
import org.runbooks.worker.it.ScenarioRun;
import org.runbooks.worker.it.TemporalCli;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * What a drill watches while a runbook runs: its {@code status} (README's query) and the chunks its copy has
 * committed on the target, with deadlines long enough for the full drills' million-row tables.
 */
final class Progress {

    /** Longest a drill waits for a runbook to reach a state: 10 minutes, for a million rows on a loaded machine. */
    static final Duration LONG = Duration.ofMinutes(10);

    private Progress() {
    }

    /** The run's status now (waiting only until a worker answers the query). */
    static JsonNode status(TemporalCli temporal, ScenarioRun run) throws Exception {
        return Awaits.status(temporal, run.statusCommand(), s -> true);
    }

    static String state(TemporalCli temporal, ScenarioRun run) throws Exception {
        return status(temporal, run).at("/state").asText();
    }

    /** Polls the run's status until {@code done} holds, for at most {@link #LONG}, and returns it. */
    static JsonNode await(TemporalCli temporal, ScenarioRun run, String what, Predicate<JsonNode> done)
            throws Exception {
        return Awaits.until(run.workflowId() + " to " + what, LONG, Duration.ofMillis(250),
                () -> status(temporal, run), done);
    }

    static JsonNode awaitState(TemporalCli temporal, ScenarioRun run, String state) throws Exception {
        return await(temporal, run, "be " + state, s -> state.equals(s.at("/state").asText()));
    }

    /** Chunks the copy has committed (0 before its bookkeeping table exists). */
    static long chunks(OrdersDatabases dbs) throws Exception {
        if (dbs.scalar(dbs.targetUrl, "select to_regclass('runbook_copy_chunks')::text") == null) {
            return 0;
        }
        return Long.parseLong(dbs.scalar(dbs.targetUrl, "select count(*) from runbook_copy_chunks"));
    }

    /** Waits until at least {@code n} chunks have committed. */
    static long awaitChunks(OrdersDatabases dbs, long n) throws Exception {
        return Awaits.until(n + " chunks to commit", LONG, Duration.ofMillis(20), () -> chunks(dbs), c -> c >= n);
    }
}
