package org.runbooks.worker.it.drills;

import org.runbooks.worker.it.Awaits;
import org.runbooks.worker.it.WorkerProcess;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The worker process of a drill, killed with SIGKILL and started again as often as the drill likes; it counts the
 * kills by where they landed and how long each new worker took to start.
 */
final class KillableWorker implements AutoCloseable {

    private final WorkerProcess.Settings settings;
    private final String logName;
    private final Map<String, Integer> kills = new LinkedHashMap<>();
    private final List<Duration> startTimes = new ArrayList<>();
    private final Map<String, Duration> longestRecovery = new LinkedHashMap<>();
    private WorkerProcess current;

    private KillableWorker(WorkerProcess.Settings settings, String logName) {
        this.settings = settings;
        this.logName = logName;
    }

    static KillableWorker start(WorkerProcess.Settings settings, String logName) throws Exception {
        KillableWorker worker = new KillableWorker(settings, logName);
        worker.current = WorkerProcess.start(settings, logName);
        return worker;
    }

    /** SIGKILL the running worker, counting the kill under {@code where}, and start a new one. */
    void killAndRestart(String where) throws Exception {
        current.kill();
        kills.merge(where, 1, Integer::sum);
        Instant start = Instant.now();
        current = WorkerProcess.start(settings, logName);
        startTimes.add(Duration.between(start, Instant.now()));
    }

    /**
     * Kills and restarts the worker, then waits (at most {@code within}) until {@code resumed} says the work it was
     * doing goes on, and records how long that took from the kill. On a timeout the failure names {@code diagnosis}.
     */
    Duration killAndAwait(String where, Duration within, Awaits.Probe<Boolean> resumed,
                          Awaits.Probe<Object> diagnosis) throws Exception {
        Instant killedAt = Instant.now();
        killAndRestart(where);
        try {
            Awaits.until(where + " to resume after SIGKILL " + kills(where), within, Duration.ofMillis(100),
                    resumed, Boolean::booleanValue);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; " + diagnosis.get(), e);
        }
        Duration took = Duration.between(killedAt, Instant.now());
        longestRecovery.merge(where, took, (a, b) -> a.compareTo(b) >= 0 ? a : b);
        return took;
    }

    /** The longest time from a kill to the work going on again, by where the kills landed. */
    String longestRecoveries() {
        return longestRecovery.entrySet().stream().map(e -> e.getKey() + " " + DrillReport.seconds(e.getValue()))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    int kills() {
        return kills.values().stream().mapToInt(Integer::intValue).sum();
    }

    int kills(String where) {
        return kills.getOrDefault(where, 0);
    }

    /** Kills by where they landed, such as {@code copy 8, validation 4}. */
    String killsByPlace() {
        return kills.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(java.util.stream.Collectors.joining(", "));
    }

    Duration longestStart() {
        return startTimes.stream().max(Duration::compareTo).orElse(Duration.ZERO);
    }

    @Override
    public void close() throws InterruptedException {
        current.close();
    }
}
