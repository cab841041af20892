package org.runbooks.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console of a worker process, as an operator reads it: each line of a runbook names the workflow it belongs
 * to (two runs of one runbook file are two workflows), and the JDK's warnings about the libraries underneath do not
 * bury it.
 */
class WorkerLogIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID = "log-names-workflow";

    @Test
    void everyRunbookLineNamesItsWorkflowAndNoJdkWarningFloodsTheConsole() throws Exception {
        TestServices services = TestServices.get();
        TemporalCli temporal = new TemporalCli(services);
        OrdersDatabases dbs = new OrdersDatabases(services, "worker_log", 500);
        String start = OrdersToV2EndToEndIT.START.replace("orders-to-v2 --input", ID + " --input");
        String status = OrdersToV2EndToEndIT.STATUS.replace("orders-to-v2", ID);

        Files.deleteIfExists(Path.of("target", "worker-log.log"));
        List<String> lines;
        try (WorkerProcess worker = WorkerProcess.start(services, dbs.legacyUrl, dbs.targetUrl, "worker-log.log")) {
            temporal.run(start);
            Awaits.status(temporal, status, s -> "AWAITING_APPROVAL".equals(s.at("/state").asText()));
            temporal.run(OrdersToV2EndToEndIT.ROLLBACK.replace("orders-to-v2", ID));
            JsonNode result = JSON.readTree(temporal.run(OrdersToV2EndToEndIT.RESULT.replace("orders-to-v2", ID)));
            assertThat(result.at("/result/outcome").asText()).isEqualTo("ROLLED_BACK");
            lines = Files.readAllLines(worker.log());
        }

        assertThat(lines).filteredOn(l -> l.contains("phase=gate rollback requested by carol")).singleElement()
                .asString().contains("workflow=" + ID + " runbook=orders-to-v2 phase=");
        assertThat(lines).filteredOn(l -> l.contains("runbook=orders-to-v2")).hasSizeGreaterThan(3)
                .allSatisfy(l -> assertThat(l).containsPattern("workflow=" + ID + "(/[a-z-]+)? runbook="));
        assertThat(lines).noneMatch(l -> l.contains("sun.misc.Unsafe"))
                .noneMatch(l -> l.contains("restricted method"))
                .noneMatch(l -> l.contains("--enable-native-access"));
    }
}
