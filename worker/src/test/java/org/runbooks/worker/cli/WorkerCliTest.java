package org.runbooks.worker.cli;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.temporal.worker.WorkerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.runbooks.worker.demo.DemoPostgres;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The subcommands in-process, on the worker's own Micronaut configuration in the {@code cli} environment, with the
 * demo seeding switched on as in application.yml: it must still create nothing.
 */
class WorkerCliTest {

    private static final String GOOD = """
            apiVersion: runbook/v1
            name: flip
            phases:
              - name: cutover
                steps:
                  - id: read-v2
                    flag: { connection: target, name: orders.read_v2, enabled: true }
            """;

    @TempDir
    Path temp;

    private String legacyUrl;
    private String targetUrl;
    private ApplicationContext context;

    @BeforeEach
    void setUp() {
        legacyUrl = h2("legacy");
        targetUrl = h2("target");
        context = ApplicationContext.builder(Environment.CLI).properties(Map.of(
                "runbooks.connections.legacy.url", legacyUrl,
                "runbooks.connections.target.url", targetUrl,
                "runbooks.demo.seed-rows", 10,
                "runbooks.demo.enabled", true,
                "temporal.target", "127.0.0.1:1")).start();
    }

    @AfterEach
    void tearDown() {
        context.close();
    }

    @Test
    void cliEnvironmentStartsNoDemoDatabaseAndNeverStartsTheTemporalWorker() throws SQLException {
        assertThat(context.getActiveBeanRegistrations(DemoPostgres.class)).isEmpty();
        assertThat(tables(legacyUrl)).isZero();
        assertThat(tables(targetUrl)).isZero();
        // RunbookWorker is a context bean and so is built, but it only registers and starts on the server's start-up.
        assertThat(context.getBean(WorkerFactory.class).isStarted()).isFalse();
    }

    @Test
    void validatePrintsOkOrEveryErrorAndExitsWithTheirStatus() throws Exception {
        Path good = Files.writeString(temp.resolve("good.yaml"), GOOD);
        Path bad = Files.writeString(temp.resolve("bad.yaml"), GOOD.replace("target", "archive")
                .replace("name: flip", "name: Flip"));

        Run ok = run("validate", good.toString());
        Run failed = run("validate", good.toString(), bad.toString());

        assertThat(ok.status()).isZero();
        assertThat(ok.out()).isEqualTo(good + ": ok\n");
        assertThat(failed.status()).isEqualTo(1);
        assertThat(failed.out()).isEqualTo(good + ": ok\n"
                + bad + ":2:1: name: must be lowercase letters, digits and dashes (it becomes part of workflow ids)\n"
                + bad + ":7:17: phases[0].steps[0].flag.connection: unknown connection 'archive'; the worker knows"
                + " [legacy, target, warehouse]\n");
    }

    @Test
    void planPrintsThePlanAndFailsOnAPreflightError() throws Exception {
        Path file = Files.writeString(temp.resolve("copy.yaml"), """
                apiVersion: runbook/v1
                name: copy
                phases:
                  - name: backfill
                    steps:
                      - id: copy-orders
                        backfill:
                          from: { connection: legacy, table: orders }
                          to: { connection: target, table: orders_v2 }
                          key: [id]
                """);

        Run plan = run("plan", file.toString());

        assertThat(plan.status()).isEqualTo(1);
        assertThat(plan.out()).startsWith("Plan for runbook copy (" + file + ")\n")
                .contains("  1.1 copy-orders (backfill)\n")
                .contains("Connection caps on this worker:\n  legacy: at most 10 connection(s) at once"
                        + " (runbooks.connections.legacy.max-connections)\n")
                .contains("ERROR   " + file + ":8:11: phases[0].steps[0].backfill.from (copy-orders): table orders"
                        + " does not exist on connection 'legacy'\n")
                .contains("Warnings:\n  " + file + ": a start naming this file is refused (runbooks.base-dir): "
                        + "runbook path '" + file + "' leaves the runbooks base directory "
                        + Path.of("runbooks").toAbsolutePath() + "\n")
                .endsWith("Result: 2 error(s), 0 warning(s), 0 info\n");
    }

    @Test
    void unknownSubcommandOrMissingFileIsAUsageError() {
        Run unknown = run("frobnicate");
        Run missing = run("plan");

        assertThat(unknown.status()).isEqualTo(WorkerCli.USAGE);
        assertThat(unknown.err()).contains("Unmatched argument", "Usage: runbooks-worker");
        assertThat(missing.status()).isEqualTo(WorkerCli.USAGE);
        assertThat(missing.err()).contains("Missing required parameter: 'FILE'", "Usage: runbooks-worker plan");
    }

    @Test
    void onlyASubcommandOrHelpLeavesTheWorker() {
        assertThat(WorkerCli.wants(new String[] {})).isFalse();
        assertThat(WorkerCli.wants(new String[] {"--micronaut.server.port=8081"})).isFalse();
        assertThat(WorkerCli.wants(new String[] {"validate", "x.yaml"})).isTrue();
        assertThat(WorkerCli.wants(new String[] {"--help"})).isTrue();
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = WorkerCli.commandLine(context);
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int status = cli.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private static String h2(String name) {
        return "jdbc:h2:mem:cli_" + name + "_" + UUID.randomUUID().toString().replace("-", "")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
    }

    private static long tables(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from information_schema.tables"
                     + " where table_schema = 'public'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private record Run(int status, String out, String err) {
    }
}
