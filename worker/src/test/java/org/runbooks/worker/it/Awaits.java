package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/** Waiting on a condition with a deadline, the way the integration tests watch a runbook and its databases. */
final class Awaits {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofMinutes(3);

    private Awaits() {
    }

    /** Polls README's status query until {@code done} holds, and returns that status. */
    static JsonNode status(TemporalCli temporal, Predicate<JsonNode> done) throws Exception {
        return status(temporal, OrdersToV2EndToEndIT.STATUS, done);
    }

    /** Polls {@code statusCommand} (README's status query for some workflow id) until {@code done} holds. */
    static JsonNode status(TemporalCli temporal, String statusCommand, Predicate<JsonNode> done) throws Exception {
        Instant deadline = Instant.now().plus(DEADLINE);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            TemporalCli.Result query = temporal.tryRun(statusCommand + " --output json");
            last = query.output();
            if (query.exitCode() == 0) {
                JsonNode status = JSON.readTree(query.output()).at("/queryResult/0");
                if (done.test(status)) {
                    return status;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the runbook's status never matched in " + DEADLINE + "; last: " + last);
    }

    static JsonNode state(TemporalCli temporal, String state) throws Exception {
        return status(temporal, s -> state.equals(s.at("/state").asText()));
    }

    /** Polls a query on the target database until {@code done} holds for its first value. */
    static void targetSql(OrdersDatabases dbs, String sql, Predicate<String> done) throws Exception {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (Instant.now().isBefore(deadline)) {
            if (done.test(dbs.scalar(dbs.targetUrl, sql))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for: " + sql);
    }
}
