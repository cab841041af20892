package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/** Waiting on a condition with a deadline, the way the integration tests watch a runbook and its databases. */
public final class Awaits {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofMinutes(3);

    private Awaits() {
    }

    /** A check that may throw, such as a query or a command. */
    @FunctionalInterface
    public interface Probe<T> {
        T get() throws Exception;
    }

    /**
     * Runs {@code probe} every {@code every} until its value satisfies {@code done}, for at most {@code within}, and
     * returns that value; otherwise fails naming {@code what} and the last value seen.
     */
    public static <T> T until(String what, Duration within, Duration every, Probe<T> probe, Predicate<T> done)
            throws Exception {
        Instant deadline = Instant.now().plus(within);
        T last = null;
        while (true) {
            last = probe.get();
            if (done.test(last)) {
                return last;
            }
            if (!Instant.now().isBefore(deadline)) {
                String seen = String.valueOf(last);
                throw new AssertionError(what + " did not happen in " + within + "; last: "
                        + (seen.length() > 2000 ? seen.substring(0, 2000) + "..." : seen));
            }
            Thread.sleep(every.toMillis());
        }
    }

    /** Polls README's status query until {@code done} holds, and returns that status. */
    public static JsonNode status(TemporalCli temporal, Predicate<JsonNode> done) throws Exception {
        return status(temporal, OrdersToV2EndToEndIT.STATUS, done);
    }

    /** Polls {@code statusCommand} (README's status query for some workflow id) until {@code done} holds. */
    public static JsonNode status(TemporalCli temporal, String statusCommand, Predicate<JsonNode> done) throws Exception {
        TemporalCli.Result result = until("the runbook's status to match (" + statusCommand + ")", DEADLINE,
                Duration.ofMillis(250), () -> temporal.tryRun(statusCommand + " --output json"),
                query -> query.exitCode() == 0 && done.test(statusOf(query)));
        return statusOf(result);
    }

    private static JsonNode statusOf(TemporalCli.Result query) {
        try {
            return JSON.readTree(query.output()).at("/queryResult/0");
        } catch (java.io.IOException e) {
            throw new AssertionError("status is not JSON: " + query.output(), e);
        }
    }

    public static JsonNode state(TemporalCli temporal, String state) throws Exception {
        return status(temporal, s -> state.equals(s.at("/state").asText()));
    }

    /** Polls a query on the target database until {@code done} holds for its first value. */
    public static void targetSql(OrdersDatabases dbs, String sql, Predicate<String> done) throws Exception {
        until("target query " + sql, DEADLINE, Duration.ofMillis(50), () -> dbs.scalar(dbs.targetUrl, sql), done);
    }
}
