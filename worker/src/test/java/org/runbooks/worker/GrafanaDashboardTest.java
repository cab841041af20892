package org.runbooks.worker;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.runbooks.api.CheckResult;
import org.runbooks.api.ValidationReport;
import org.runbooks.backfill.BackfillMetrics;
import org.runbooks.backfill.CopyMeters;
import org.runbooks.report.RunbookMetrics;
import org.runbooks.api.RunbookState;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped Grafana dashboard asks only for metrics the worker exports, and shows every runbook metric. "Exported"
 * is what a Prometheus registry serves after the worker's own code recorded through the worker's own paths: the
 * backfill meters straight into Micrometer, the workflow's metrics and the SDK's through the Temporal stats reporter
 * (here with a workflow and an activity run on the test server).
 */
class GrafanaDashboardTest {

    private static String scrape;

    @BeforeAll
    static void recordEveryMetricOnce() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CopyMeters copy = new BackfillMetrics(registry).copy("orders-to-v2", "copy-orders", "orders_v2");
        copy.chunkCommitted(10_000, Duration.ofMillis(40).toNanos());
        copy.throttled(Duration.ofMillis(250).toNanos());

        Scope scope = new RootScopeBuilder().reporter(new MicrometerClientStatsReporter(registry))
                .reportEvery(com.uber.m3.util.Duration.ofMillis(100));
        RunbookMetrics runbook = new RunbookMetrics(scope, "orders-to-v2");
        runbook.stateChanged(null, RunbookState.RUNNING);
        runbook.gateWaited("go-no-go", "approved", Duration.ofMinutes(3));
        runbook.rolledBack(null, Duration.ofSeconds(4));
        runbook.validated(new ValidationReport("parity", 10, 9, null, null, false, "row counts differ", List.of(
                new CheckResult("row-count", CheckResult.Kind.ROW_COUNT, false, "10", "9", "±0", "differ"))));
        runOneWorkflowWithOneActivity(scope);
        scope.close();
        scrape = registry.scrape();
    }

    @Test
    void everyMetricTheDashboardQueriesIsOneTheWorkerExports() throws Exception {
        Set<String> queried = DashboardQueries.metricNames();
        Set<String> exported = DashboardQueries.exported(scrape);

        assertThat(queried).as("metric names in the dashboard's queries").hasSizeGreaterThan(10);
        assertThat(queried.stream().filter(name -> !exported.contains(name)).toList())
                .as("queried by the dashboard but not exported; exported: %s", exported).isEmpty();
    }

    @Test
    void everyRunbookMetricTheWorkerExportsHasAPanel() throws Exception {
        Set<String> queried = DashboardQueries.metricNames();
        Set<String> families = DashboardQueries.exported(scrape).stream().filter(n -> n.startsWith("runbook_"))
                .map(n -> n.replaceAll("_(bucket|count|sum|max)$", "")).collect(Collectors.toSet());

        assertThat(families).hasSizeGreaterThanOrEqualTo(8);
        assertThat(families).allSatisfy(family -> assertThat(queried)
                .as("a panel for %s", family).anyMatch(name -> name.startsWith(family)));
    }

    private static void runOneWorkflowWithOneActivity(Scope metrics) {
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(
                TestEnvironmentOptions.newBuilder().setMetricsScope(metrics).build())) {
            Worker worker = env.newWorker("dashboard");
            worker.registerWorkflowImplementationTypes(GreetingImpl.class);
            worker.registerActivitiesImplementations((Greet) name -> "hello " + name);
            env.start();
            Greeting greeting = env.getWorkflowClient().newWorkflowStub(Greeting.class,
                    WorkflowOptions.newBuilder().setTaskQueue("dashboard").build());
            assertThat(greeting.greet("ops")).isEqualTo("hello ops");
        }
    }

    @WorkflowInterface
    public interface Greeting {
        @WorkflowMethod
        String greet(String name);
    }

    @ActivityInterface
    public interface Greet {
        String greet(String name);
    }

    public static class GreetingImpl implements Greeting {
        private final Greet greet = Workflow.newActivityStub(Greet.class,
                ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());

        @Override
        public String greet(String name) {
            return greet.greet(name);
        }
    }
}
