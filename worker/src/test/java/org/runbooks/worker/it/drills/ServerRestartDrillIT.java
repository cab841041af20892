package org.runbooks.worker.it.drills;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.runbooks.worker.it.OrdersDatabases;
import org.runbooks.worker.it.ScenarioRun;
import org.runbooks.worker.it.TemporalCli;
import org.runbooks.worker.it.TestServices;
import org.runbooks.worker.it.WorkerProcess;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stops the Temporal server in the middle of a backfill and starts it again on the same state file: a dev server of
 * the drill's own, started with {@code --db-filename}. The worker keeps running throughout; the runbook must
 * complete with target == source.
 */
@ExtendWith(DrillReport.Watcher.class)
class ServerRestartDrillIT {

    static final String THROTTLED = "worker/src/test/resources/drill-runbooks/throttled-orders.yaml";
    private static final int CHUNK_ROWS = 5_000;

    private final DrillSize size = DrillSize.current();
    private final TestServices services = TestServices.get();

    @Test
    @DisplayName("server-restart")
    void runbookCompletesAcrossTemporalServerRestarts() throws Exception {
        int rows = size.pick(100_000, 1_000_000);
        int restarts = size.pick(1, 2);
        Duration down = size.pick(Duration.ofSeconds(2), Duration.ofSeconds(15));
        OrdersDatabases dbs = new OrdersDatabases(services, "drill_server", rows);
        List<String> outages = new ArrayList<>();
        String outcome;
        try (DevServer server = DevServer.start(services.temporalCli())) {
            TemporalCli temporal = server.temporal();
            ScenarioRun run = ScenarioRun.ofFile(temporal, "drill-server-restart", THROTTLED);
            WorkerProcess.Settings settings = WorkerProcess.Settings.of(services, dbs.legacyUrl, dbs.targetUrl)
                    .withTemporal(server.address());
            try (WorkerProcess ignored = WorkerProcess.start(settings, "drill-worker-server-restart.log")) {
                run.start();
                long seen = 0;
                for (int i = 0; i < restarts; i++) {
                    seen = Progress.awaitChunks(dbs, seen + 2);
                    assertThat(seen * CHUNK_ROWS).as("the server stops mid-copy").isLessThan(rows);
                    server.stopServer();
                    long rowsAtStop = Progress.chunks(dbs) * CHUNK_ROWS;
                    Thread.sleep(down.toMillis());
                    long whileDown = Progress.chunks(dbs) * CHUNK_ROWS - rowsAtStop;
                    Instant back = Instant.now();
                    server.startServer();
                    Duration answered = Duration.between(back, Instant.now());
                    long atRestart = Progress.chunks(dbs);
                    seen = Progress.awaitChunks(dbs, Math.min(atRestart + 1, rows / CHUNK_ROWS));
                    outages.add("down " + DrillReport.seconds(down) + " from " + DrillReport.count(rowsAtStop)
                            + " rows copied, " + DrillReport.count(whileDown) + " rows committed while it was down, "
                            + "server healthy " + DrillReport.seconds(answered) + " after its start");
                }
                outcome = run.result().at("/result/outcome").asText();
            } finally {
                run.terminateIfOpen();
            }
        }
        assertThat(outcome).isEqualTo("COMPLETED");
        String equal = CopiedRows.assertExact(dbs, rows);
        DrillReport.passed("server-restart", size, DrillReport.count(rows) + " rows; " + restarts
                + " dev-server stop/start (SIGTERM, same --db-filename)", "COMPLETED; " + equal + "; "
                + String.join("; ", outages));
    }
}
