package org.runbooks.jdbc;

import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.CheckResult;
import org.runbooks.api.ValidationReport;
import org.runbooks.backfill.BackfillActivities;
import org.runbooks.backfill.BackfillActivitiesImpl;
import org.runbooks.backfill.BackfillRequest;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.Runbook;
import org.runbooks.model.SqlAssertion;
import org.runbooks.model.ValidateStep;
import org.runbooks.parse.RunbookParser;
import org.runbooks.parse.RunbookPositions;
import org.runbooks.plan.CheckLogins;
import org.runbooks.plan.RunbookPlan;
import org.runbooks.preflight.Preflight;
import org.runbooks.validate.ValidationActivities;
import org.runbooks.validate.ValidationActivitiesImpl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.jdbc.PgDatabases.LEGACY;
import static org.runbooks.jdbc.PgDatabases.TARGET;
import static org.runbooks.jdbc.TwoDatabases.ONE_ATTEMPT;

/**
 * On real PostgreSQL, what a runbook's checks run only reads. With a read-only login configured
 * ({@code runbooks.connections.<name>.read-only}), KPI and assertion SQL and a backfill's {@code from.query} run as
 * that role, which a test creates here with SELECT only: SQL that tries to write, or to call the functions that
 * signal sessions or read server files, fails as a failed check, and nothing happens. Without one, the same SQL still
 * runs in a read-only transaction, so a write fails there too, and {@code plan} warns per check.
 */
class PgReadOnlyChecksIT {

    /** The role README's SQL creates, and its password there. */
    private static final String READER = "runbooks_reader";
    private static final String READER_PASSWORD = "change-me";

    private static final String RUNBOOK = """
            apiVersion: runbook/v1
            name: read-only-checks
            owner: data-platform
            phases:
              - name: copy
                steps:
                  - id: copy-orders
                    backfill:
                      from: { connection: legacy, query: "select id, current_user::text as copied_by from orders" }
                      to: { connection: target, table: orders_copy }
                      key: [id]
                      throttle: { query: "select 0", connection: legacy, max: 1 }
              - name: check
                steps:
                  - id: parity
                    validate:
                      kpis:
                        - name: orders
                          source: { connection: legacy, sql: "select count(*) from orders" }
                          target: { connection: target, sql: "select count(*) from orders_copy" }
                      assertions:
                        - name: read-by-the-reader
                          connection: legacy
                          sql: "select count(*) from orders where current_user <> 'runbooks_reader'"
            """;

    private final List<TestActivityEnvironment> environments = new ArrayList<>();

    @AfterEach
    void tearDown() {
        environments.forEach(TestActivityEnvironment::close);
    }

    @Test
    void checksOnTheReadOnlyLoginRunAsThatRoleAndCannotWriteOrSignalOrReadServerFiles() throws Exception {
        PgDatabases db = databasesWithAReader();
        ConnectionRegistry reading = db.withReadOnlyLogin(READER, READER_PASSWORD);
        Runbook runbook = parse();

        BackfillStep copy = (BackfillStep) runbook.phases().get(0).steps().get(0);
        backfill(reading).copyTable(new BackfillRequest("run-1/copy-orders", "read-only-checks", copy));
        assertThat(db.rows(TARGET, "select distinct copied_by from orders_copy"))
                .as("the backfill's from.query ran as the read-only role").containsExactly(List.of(READER));

        ValidationReport parity = validation(reading).compare((ValidateStep) runbook.phases().get(1).steps().get(0));
        assertThat(parity.passed()).as(parity.detail()).isTrue();

        try (Connection victim = db.connect(LEGACY); Statement st = victim.createStatement()) {
            int pid = pidOf(st);
            ValidationReport refused = validation(reading).compare(assertions(
                    new SqlAssertion("writes", LEGACY,
                            "with added as (insert into orders values (99) returning 1) select count(*) from added", 0),
                    new SqlAssertion("moves-a-sequence", LEGACY, "select nextval('orders_seq')", 0),
                    new SqlAssertion("terminates", LEGACY, "select count(*) from pg_stat_activity where pid = " + pid
                            + " and pg_terminate_backend(pid)", 0),
                    new SqlAssertion("reads-a-server-file", LEGACY,
                            "select length(pg_read_file('postmaster.pid'))", 0)));

            assertThat(refused.checks()).extracting(CheckResult::passed).containsOnly(false);
            assertThat(refused.checks()).extracting(CheckResult::detail).allSatisfy(detail ->
                    assertThat(detail).containsAnyOf("read-only transaction", "permission denied",
                            "must be a superuser", "must be a member"));
            assertThat(refused.detail()).contains("terminates", "reads-a-server-file");
            assertThat(st.executeQuery("select 1").next()).as("the session a check tried to end is alive").isTrue();
        }
        assertThat(db.scalar(LEGACY, "select count(*) from orders")).as("no row was added").isEqualTo("3");
        assertThat(db.scalar(LEGACY, "select last_value from orders_seq")).as("the sequence did not move")
                .isEqualTo("1");
    }

    @Test
    void withoutAReadOnlyLoginAChecksWriteFailsInItsReadOnlyTransactionAndPlanWarnsPerCheck() throws Exception {
        PgDatabases db = databasesWithAReader();
        Runbook runbook = parse();

        ValidationReport refused = validation(db.registry).compare(assertions(
                new SqlAssertion("writes", LEGACY,
                        "with added as (insert into orders values (99) returning 1) select count(*) from added", 0),
                new SqlAssertion("moves-a-sequence", LEGACY, "select nextval('orders_seq') - nextval('orders_seq')",
                        0)));
        assertThat(refused.checks()).extracting(CheckResult::passed).containsOnly(false);
        assertThat(refused.checks()).extracting(CheckResult::detail)
                .allSatisfy(detail -> assertThat(detail).contains("read-only transaction"));
        assertThat(db.scalar(LEGACY, "select count(*) from orders")).isEqualTo("3");

        RunbookPositions positions = RunbookPositions.of(RUNBOOK, "runbooks/read-only-checks.yaml");
        String withWriteLogins = RunbookPlan.render("runbooks/read-only-checks.yaml", runbook,
                new Preflight(db.registry).check(runbook), positions,
                CheckLogins.warnings(runbook, db.registry, positions));
        assertThat(withWriteLogins).contains(
                "runbooks/read-only-checks.yaml:9:39: phases[0].steps[0].backfill.from.query (copy-orders): runs "
                        + "with the write login of connection 'legacy' (in a read-only transaction); name a read-only "
                        + "role in runbooks.connections.legacy.read-only\n",
                "phases[0].steps[0].backfill.throttle.query (copy-orders): runs with the write login of connection"
                        + " 'legacy'",
                "phases[1].steps[0].validate.kpis[0].source (parity): runs with the write login of connection "
                        + "'legacy'",
                "phases[1].steps[0].validate.kpis[0].target (parity): runs with the write login of connection "
                        + "'target'",
                "phases[1].steps[0].validate.assertions[0] (parity): runs with the write login of connection "
                        + "'legacy'");

        ConnectionRegistry reading = db.withReadOnlyLogin(READER, READER_PASSWORD);
        String withReadOnlyLogins = RunbookPlan.render("runbooks/read-only-checks.yaml", runbook,
                new Preflight(reading).check(runbook), positions, CheckLogins.warnings(runbook, reading, positions));
        assertThat(withReadOnlyLogins).doesNotContain("write login").contains("Warnings:\n  (none)\n")
                .endsWith("Result: 0 error(s), 0 warning(s), 1 info\n");

        db.execute(TARGET, "revoke select on orders_copy from " + READER);
        assertThat(new Preflight(reading).check(runbook).errors()).extracting(f -> f.path() + ": " + f.message())
                .as("pre-flight reads what the checks will read with the login they will read it with")
                .singleElement().asString()
                .startsWith("phases[1].steps[0].validate.kpis[0].target.sql: does not parse on connection 'target': ")
                .contains("permission denied for table orders_copy");
    }

    /**
     * Fresh databases, and the role README's SQL creates, as written there: it may log in and read the tables and
     * nothing more. Both tests use the same two databases, whose recreation drops the grants of the last run, so that
     * the role (which belongs to the whole server) can be dropped and created again.
     */
    private static PgDatabases databasesWithAReader() throws IOException {
        PgDatabases db = new PgDatabases("ro_checks");
        db.execute(LEGACY, "create sequence orders_seq", "create table orders (id bigint primary key)",
                "insert into orders values (1), (2), (3)");
        db.execute(TARGET, "create table orders_copy (id bigint primary key, copied_by text)");
        List<String> readme = readmeSql();
        db.execute(LEGACY, "drop role if exists " + READER);
        db.execute(LEGACY, readme.toArray(String[]::new));
        db.execute(TARGET, readme.stream().filter(sql -> sql.startsWith("grant ")).toArray(String[]::new));
        return db;
    }

    /** The statements of the {@code sql} block in README's read-only logins paragraph. */
    private static List<String> readmeSql() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        String section = readme.substring(readme.indexOf("**Read-only logins for checks.**"));
        String block = section.substring(section.indexOf("```sql\n") + 7);
        List<String> statements = Arrays.stream(block.substring(0, block.indexOf("```")).split(";"))
                .map(String::strip).filter(sql -> !sql.isEmpty()).toList();
        assertThat(statements).as("README's SQL").hasSize(2);
        assertThat(statements.get(0)).startsWith("create role " + READER + " login password '" + READER_PASSWORD);
        return statements;
    }

    private static int pidOf(Statement st) throws Exception {
        try (ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Assertions built as a runbook loaded before the parser refused such SQL would hold them. */
    private static ValidateStep assertions(SqlAssertion... assertions) {
        return new ValidateStep("tries", null, null, List.of(), 0, false, List.of(), List.of(assertions));
    }

    private static Runbook parse() {
        return new RunbookParser(Set.of(LEGACY, TARGET)).parse(RUNBOOK, "runbooks/read-only-checks.yaml");
    }

    private BackfillActivities backfill(ConnectionRegistry registry) {
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        environments.add(env);
        env.registerActivitiesImplementations(new BackfillActivitiesImpl(registry));
        return env.newActivityStub(BackfillActivities.class, ONE_ATTEMPT);
    }

    private ValidationActivities validation(ConnectionRegistry registry) {
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        environments.add(env);
        env.registerActivitiesImplementations(new ValidationActivitiesImpl(registry));
        return env.newActivityStub(ValidationActivities.class, ONE_ATTEMPT);
    }
}
