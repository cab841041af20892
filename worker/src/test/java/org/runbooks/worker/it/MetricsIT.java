package org.runbooks.worker.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.runbooks.worker.DashboardQueries;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker's {@code /prometheus} page during and after a real run (dev server, PostgreSQL, the real worker): every
 * runbook metric appears with a value above zero, and so does every metric the shipped Grafana dashboard queries.
 */
class MetricsIT {

    private static final int ROWS = 10_000;
    private static final String RUNBOOK = "runbook=\"metrics-drill\"";
    /** Every runbook metric family, as Prometheus names them. */
    private static final List<String> RUNBOOK_METRICS = List.of("runbook_backfill_rows_total",
            "runbook_backfill_rows_per_second", "runbook_backfill_chunk_seconds_bucket",
            "runbook_backfill_chunk_seconds_count", "runbook_backfill_throttle_seconds_sum",
            "runbook_validation_mismatches_total", "runbook_gate_wait_seconds_sum", "runbook_gate_wait_seconds_bucket",
            "runbook_rollback_seconds_count", "runbook_state");
    /** The SDK reports into Micrometer every 10 s, so a workflow-side metric may take that long to appear. */
    private static final Duration REPORTED_WITHIN = Duration.ofSeconds(40);

    private static TestServices services;
    private static TemporalCli temporal;

    @BeforeAll
    static void services() {
        services = TestServices.get();
        temporal = new TemporalCli(services);
    }

    @Test
    void everyRunbookMetricAndEveryDashboardMetricIsExportedAboveZero() throws Exception {
        OrdersDatabases dbs = new OrdersDatabases(services, "metrics", ROWS);
        ScenarioRun run = ScenarioRun.ofFile(temporal, "metrics-drill",
                "worker/src/test/resources/runbooks/metrics-drill.yaml");
        try (RunningWorker worker = RunningWorker.start(services, dbs.legacyUrl, dbs.targetUrl)) {
            String prometheus = worker.url() + "/prometheus";
            run.start();
            run.awaitGate("go-no-go");

            String waiting = awaitScrape(prometheus, "the copy's meters and the state AWAITING_APPROVAL",
                    page -> value(page, "runbook_backfill_rows_total", RUNBOOK) == ROWS
                            && value(page, "runbook_state", "state=\"AWAITING_APPROVAL\"") == 1);
            assertThat(value(waiting, "runbook_backfill_chunk_seconds_count", RUNBOOK)).isEqualTo(ROWS / 2000);
            assertThat(value(waiting, "runbook_backfill_throttle_seconds_sum", RUNBOOK))
                    .as("10,000 rows at 4,000 rows/s take 2.5 s at least, so the copy waited").isGreaterThan(0.0);
            // The gauge measures the latest slice alone, whose first chunk is written before any pacing: it may
            // overshoot the limit a little, never by the factor an unthrottled copy (over 20,000 rows/s) shows.
            assertThat(value(waiting, "runbook_backfill_rows_per_second", RUNBOOK)).isBetween(1.0, 6_000.0);

            Thread.sleep(1_000);
            run.approve("go-no-go", "dba-oncall");
            assertThat(run.result().at("/result/outcome").asText()).isEqualTo("ROLLED_BACK");

            String after = awaitScrape(prometheus, "every runbook metric above zero",
                    page -> RUNBOOK_METRICS.stream().allMatch(name -> value(page, name, RUNBOOK) > 0));
            assertThat(value(after, "runbook_state", "state=\"ROLLED_BACK\"")).isEqualTo(1);
            assertThat(value(after, "runbook_state", "state=\"AWAITING_APPROVAL\"")).isZero();
            assertThat(value(after, "runbook_gate_wait_seconds_sum", "decision=\"approved\"")).isGreaterThan(0.9);
            assertThat(value(after, "runbook_validation_mismatches_total", "check=\"refunds\"")).isEqualTo(1);

            Set<String> exported = DashboardQueries.exported(after);
            assertThat(DashboardQueries.metricNames()).allSatisfy(name -> {
                assertThat(exported).as("the dashboard's %s is exported", name).contains(name);
                if (name.startsWith("runbook_")) {
                    assertThat(value(after, name, RUNBOOK)).as("%s above zero", name).isGreaterThan(0);
                }
            });
        }
    }

    /** The sum of {@code name}'s samples whose labels contain {@code label}. */
    private static double value(String page, String name, String label) {
        String matching = page.lines().filter(line -> line.contains(label))
                .reduce(new StringBuilder(), (all, line) -> all.append(line).append('\n'), StringBuilder::append)
                .toString();
        return DashboardQueries.sum(matching, name);
    }

    private static String awaitScrape(String url, String what, java.util.function.Predicate<String> done)
            throws Exception {
        return Awaits.until(url + " to show " + what, REPORTED_WITHIN, Duration.ofMillis(500),
                () -> httpGet(url), done);
    }

    private static String httpGet(String url) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        }
    }
}
