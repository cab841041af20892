package org.runbooks.load;

import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.runbooks.api.LoadedRunbook;
import org.runbooks.jdbc.TwoDatabases;
import org.runbooks.jdbc.connect.ConnectionSettings;
import org.runbooks.jdbc.connect.JdbcConnectionRegistry;
import org.runbooks.model.FlagStep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.jdbc.TwoDatabases.ONE_ATTEMPT;
import static org.runbooks.jdbc.TwoDatabases.applicationFailureOf;

class RunbookLoadActivitiesImplTest {

    private static final String VALID = """
            apiVersion: runbook/v1
            name: flip-flag
            phases:
              - name: cutover
                steps:
                  - id: read-v2
                    flag: { connection: target, name: orders.read_v2, enabled: true }
            """;

    @TempDir
    Path temp;

    private Path runbooks;
    private TwoDatabases db;
    private TestActivityEnvironment testEnv;
    private RunbookLoadActivities loader;

    @BeforeEach
    void setUp() throws IOException {
        runbooks = Files.createDirectory(temp.resolve("runbooks"));
        db = new TwoDatabases();
        testEnv = TestActivityEnvironment.newInstance();
        testEnv.registerActivitiesImplementations(new RunbookLoadActivitiesImpl(runbooks, db.registry));
        loader = testEnv.newActivityStub(RunbookLoadActivities.class, ONE_ATTEMPT);
    }

    @AfterEach
    void tearDown() {
        testEnv.close();
        db.close();
    }

    @Test
    void loadsAndParsesAFileUnderTheBaseDirectoryWithItsHash() throws Exception {
        Files.createDirectory(runbooks.resolve("orders"));
        Files.writeString(runbooks.resolve("orders/flip-flag.yaml"), VALID);

        LoadedRunbook loaded = loader.loadRunbook("orders/flip-flag.yaml");

        assertThat(loaded.file()).isEqualTo("orders/flip-flag.yaml");
        assertThat(loaded.sha256()).isEqualTo(sha256(VALID));
        assertThat(loaded.runbook().name()).isEqualTo("flip-flag");
        assertThat(loaded.runbook().step("read-v2")).contains(new FlagStep("read-v2", "target", "orders.read_v2", 100));
    }

    @Test
    void pathThatClimbsOutOfTheBaseDirectoryIsRefused() throws IOException {
        // The file exists, one level above the base directory: existing is not enough.
        Files.writeString(temp.resolve("secret.yaml"), VALID);

        for (String escape : new String[] {"../secret.yaml", "../../../../../../etc/passwd", "orders/../../secret.yaml"}) {
            ApplicationFailure failure = applicationFailureOf(() -> loader.loadRunbook(escape));

            assertThat(failure.getType()).as(escape).isEqualTo("RunbookNotFound");
            assertThat(failure.isNonRetryable()).as(escape).isTrue();
            assertThat(failure.getOriginalMessage()).as(escape)
                    .isEqualTo("runbook path '" + escape + "' leaves the runbooks base directory " + runbooks);
        }
    }

    @Test
    void aSymlinkThatLeadsOutOfTheBaseDirectoryIsRefused() throws IOException {
        Path outside = Files.writeString(temp.resolve("secret.yaml"), VALID);
        Files.createSymbolicLink(runbooks.resolve("innocent.yaml"), outside);
        Files.createSymbolicLink(runbooks.resolve("elsewhere"), temp);

        for (String link : new String[] {"innocent.yaml", "elsewhere/secret.yaml"}) {
            ApplicationFailure failure = applicationFailureOf(() -> loader.loadRunbook(link));

            assertThat(failure.getType()).as(link).isEqualTo("RunbookNotFound");
            assertThat(failure.getOriginalMessage()).as(link).isEqualTo("runbook path '" + link
                    + "' leads out of the runbooks base directory " + runbooks + " (through a symbolic link)");
        }
    }

    @Test
    void onlyYamlAndJsonFilesAreRead() throws IOException {
        Files.writeString(runbooks.resolve("notes.txt"), VALID);
        Files.writeString(runbooks.resolve(".env"), "PASSWORD=secret");

        for (String file : new String[] {"notes.txt", ".env"}) {
            ApplicationFailure failure = applicationFailureOf(() -> loader.loadRunbook(file));

            assertThat(failure.getType()).as(file).isEqualTo("RunbookNotFound");
            assertThat(failure.getOriginalMessage()).as(file).isEqualTo("runbook path '" + file
                    + "' is not a .yaml, .yml or .json file");
        }
    }

    @Test
    void absolutePathOutsideTheBaseDirectoryIsRefused() throws IOException {
        Path outside = Files.writeString(temp.resolve("secret.yaml"), VALID);

        ApplicationFailure failure = applicationFailureOf(() -> loader.loadRunbook(outside.toString()));

        assertThat(failure.getType()).isEqualTo("RunbookNotFound");
        assertThat(failure.getOriginalMessage()).contains("leaves the runbooks base directory");
    }

    @Test
    void missingFileIsReportedAsNotFound() {
        ApplicationFailure failure = applicationFailureOf(() -> loader.loadRunbook("nope.yaml"));

        assertThat(failure.getType()).isEqualTo("RunbookNotFound");
        assertThat(failure.isNonRetryable()).isTrue();
        assertThat(failure.getOriginalMessage()).isEqualTo("no runbook file 'nope.yaml' under " + runbooks);
    }

    @Test
    void malformedFileFailsAsInvalidRunbookWithEveryError() throws IOException {
        Files.writeString(runbooks.resolve("broken.yaml"), """
                apiVersion: runbook/v2
                name: broken
                phases:
                  - name: copy
                    steps:
                      - id: copy
                        backfill:
                          from: { connection: archive, table: orders }
                          to: { connection: target, table: orders_v2 }
                          key: [id]
                          chunkRows: 0
                """);

        ApplicationFailure failure = applicationFailureOf(() -> loader.loadRunbook("broken.yaml"));

        assertThat(failure.getType()).isEqualTo("InvalidRunbook");
        assertThat(failure.isNonRetryable()).isTrue();
        assertThat(failure.getOriginalMessage()).isEqualTo("""
                3 error(s) in runbook:
                  broken.yaml:1:1: apiVersion: must be runbook/v1, not 'runbook/v2'
                  broken.yaml:8:19: phases[0].steps[0].backfill.from.connection: unknown connection 'archive'; \
                the worker knows [legacy, target]
                  broken.yaml:11:11: phases[0].steps[0].backfill.chunkRows: must be 1 to 1000000, not 0""");
        assertThat(failure.getDetails().get(String.class))
                .contains("apiVersion", "backfill.from.connection", "backfill.chunkRows");
    }

    @Test
    void aDatabaseThatCannotBeReachedYetIsARetryableFailureNotAnInvalidRunbook() throws IOException {
        testEnv.close();
        testEnv = TestActivityEnvironment.newInstance();
        testEnv.registerActivitiesImplementations(new RunbookLoadActivitiesImpl(runbooks,
                new JdbcConnectionRegistry(List.of(new ConnectionSettings(
                        "target", "jdbc:h2:tcp://127.0.0.1:1/nowhere", "sa", "")))));
        loader = testEnv.newActivityStub(RunbookLoadActivities.class, ONE_ATTEMPT);
        Files.writeString(runbooks.resolve("flip-flag.yaml"), VALID);

        ApplicationFailure failure = applicationFailureOf(() -> loader.loadRunbook("flip-flag.yaml"));

        assertThat(failure.getType()).isEqualTo("DatabaseUnavailable");
        assertThat(failure.isNonRetryable()).isFalse();
        assertThat(failure.getOriginalMessage()).contains("connection 'target' is unreachable: ");
    }

    @Test
    void runbookThatCannotRunOnTheseDatabasesFailsWithEveryPreflightErrorAndTouchesNothing() throws IOException {
        db.execute(TwoDatabases.LEGACY, "create table orders (id bigint primary key, amount decimal(12, 2))",
                "insert into orders values (1, 10.00), (2, 20.00)");
        Files.writeString(runbooks.resolve("orders.yaml"), """
                apiVersion: runbook/v1
                name: orders
                phases:
                  - name: backfill
                    steps:
                      - id: copy
                        backfill:
                          from: { connection: legacy, table: orders }
                          to: { connection: target, table: orders_v2 }
                          key: [id]
                  - name: validate
                    steps:
                      - id: revenue
                        validate:
                          assertions:
                            - { name: no-negative, connection: legacy, sql: "select count(*) from orders where amont < 0" }
                """);

        ApplicationFailure failure = applicationFailureOf(() -> loader.loadRunbook("orders.yaml"));

        assertThat(failure.getType()).isEqualTo("InvalidRunbook");
        assertThat(failure.isNonRetryable()).isTrue();
        assertThat(failure.getOriginalMessage()).startsWith("""
                2 error(s) in runbook:
                  orders.yaml:9:11: phases[0].steps[0].backfill.to: table orders_v2 does not exist on connection 'target'
                  orders.yaml:16:56: phases[1].steps[0].validate.assertions[0].sql: does not parse on connection \
                'legacy': \
                """).containsIgnoringCase("amont");
        assertThat(db.rows(TwoDatabases.LEGACY, "select id, amount from orders order by id")).isEqualTo(List.of(
                List.of(1L, new java.math.BigDecimal("10.00")), List.of(2L, new java.math.BigDecimal("20.00"))));
        assertThat(db.count(TwoDatabases.TARGET, "select count(*) from information_schema.tables"
                + " where table_schema = 'public'")).as("no table created on the target, not even progress tables")
                .isZero();
    }

    @Test
    void namesFromTheWorkingDirectoryLoadOnlyFromTheRunbooksBaseDirectoryWithin() throws IOException {
        // As the worker runs by default: names from its working directory, files from runbooks/ in it.
        testEnv.close();
        testEnv = TestActivityEnvironment.newInstance();
        testEnv.registerActivitiesImplementations(new RunbookLoadActivitiesImpl(new RunbookFiles(runbooks, temp),
                db.registry, null, org.runbooks.gate.ApproverKeysFile.NONE));
        loader = testEnv.newActivityStub(RunbookLoadActivities.class, ONE_ATTEMPT);
        Files.writeString(runbooks.resolve("flip-flag.yaml"), VALID);
        Files.createDirectories(temp.resolve("config"));
        Files.writeString(temp.resolve("config/flip-flag.yaml"), VALID);
        Files.writeString(temp.resolve("flip-flag.yaml"), VALID);

        assertThat(loader.loadRunbook("runbooks/flip-flag.yaml").runbook().name()).isEqualTo("flip-flag");
        assertThat(loader.loadRunbook(runbooks.resolve("flip-flag.yaml").toString()).sha256()).isEqualTo(
                loader.loadRunbook("./runbooks/../runbooks/flip-flag.yaml").sha256());
        for (String outside : new String[] {"config/flip-flag.yaml", "flip-flag.yaml", "runbooks/../flip-flag.yaml",
                temp.resolve("config/flip-flag.yaml").toString()}) {
            ApplicationFailure failure = applicationFailureOf(() -> loader.loadRunbook(outside));

            assertThat(failure.getType()).as(outside).isEqualTo("RunbookNotFound");
            assertThat(failure.isNonRetryable()).as(outside).isTrue();
            assertThat(failure.getOriginalMessage()).as(outside)
                    .isEqualTo("runbook path '" + outside + "' leaves the runbooks base directory " + runbooks);
        }
    }

    private static String sha256(String text) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
