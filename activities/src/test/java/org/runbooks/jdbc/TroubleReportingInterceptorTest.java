package org.runbooks.jdbc;

import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.worker.WorkerFactoryOptions;
import org.junit.jupiter.api.Test;
import org.runbooks.api.ActivityTrouble;
import org.runbooks.api.SqlRun;
import org.runbooks.jdbc.connect.ConnectionSettings;
import org.runbooks.jdbc.connect.JdbcConnectionRegistry;
import org.runbooks.sql.SqlActivities;
import org.runbooks.sql.SqlActivitiesImpl;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.jdbc.TwoDatabases.ONE_ATTEMPT;
import static org.runbooks.jdbc.TwoDatabases.applicationFailureOf;

/**
 * An attempt that fails because its database cannot be reached is reported before it fails, with a message that
 * holds no password, and the failure Temporal sees is the activity's own whatever happens to the report.
 */
class TroubleReportingInterceptorTest {

    private static final String PASSWORD = "hunter2-secret";
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    /** Nothing listens on port 1: the connection is refused at once (SQLState 08001). */
    private static final JdbcConnectionRegistry GONE = new JdbcConnectionRegistry(List.of(new ConnectionSettings(
            "target", "jdbc:postgresql://127.0.0.1:1/none?password=" + PASSWORD, "nobody", PASSWORD)));

    private final List<ActivityTrouble> reported = new CopyOnWriteArrayList<>();

    @Test
    void anUnreachableDatabaseIsReportedBeforeTheAttemptFails() {
        ApplicationFailure failure = runSql("target", (attempt, trouble) -> reported.add(trouble));

        assertThat(failure.getType()).isEqualTo(Failures.DATABASE_UNAVAILABLE);
        assertThat(failure.isNonRetryable()).isFalse();
        assertThat(reported).hasSize(1);
        ActivityTrouble trouble = reported.get(0);
        assertThat(trouble.activityType()).isEqualTo("RunSql");
        assertThat(trouble.at()).isEqualTo(NOW.toString());
        assertThat(trouble.error()).isEqualTo(failure.getOriginalMessage()).endsWith("[SQLState 08001]")
                .doesNotContain(PASSWORD);
    }

    @Test
    void aReportThatFailsLeavesTheAttemptsOwnFailure() {
        ApplicationFailure failure = runSql("target", (attempt, trouble) -> {
            throw new IllegalStateException("Temporal is down too");
        });

        assertThat(failure.getType()).isEqualTo(Failures.DATABASE_UNAVAILABLE);
        assertThat(failure.getOriginalMessage()).doesNotContain("Temporal is down");
    }

    @Test
    void aFailureNoRetryCanFixIsNotReported() {
        ApplicationFailure failure = runSql("archive", (attempt, trouble) -> reported.add(trouble));

        assertThat(failure.getType()).isEqualTo(Failures.UNKNOWN_CONNECTION);
        assertThat(reported).isEmpty();
    }

    @Test
    void passwordsInUrlsAreScrubbedAndTheTextFitsOneLine() {
        String text = TroubleText.of("cannot reach jdbc:postgresql://app:" + PASSWORD + "@db:5432/orders?user=app&"
                + "password=" + PASSWORD + "&ssl=true\n  Detail: refused");

        assertThat(text).isEqualTo("cannot reach jdbc:postgresql://app:***@db:5432/orders?user=app&password=***"
                + "&ssl=true Detail: refused");
        assertThat(TroubleText.of("x".repeat(TroubleText.MAX_LENGTH + 10))).hasSize(TroubleText.MAX_LENGTH);
    }

    private ApplicationFailure runSql(String connection, TroubleReports reports) {
        TroubleReportingInterceptor interceptor = new TroubleReportingInterceptor(reports,
                Clock.fixed(NOW, ZoneOffset.UTC));
        TestActivityEnvironment env = TestActivityEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder().setWorkerInterceptors(interceptor).build())
                .build());
        try {
            env.registerActivitiesImplementations(new SqlActivitiesImpl(GONE));
            SqlActivities sql = env.newActivityStub(SqlActivities.class, ONE_ATTEMPT);
            return applicationFailureOf(() -> sql.runSql(new SqlRun("run-1/view/apply", connection, "select 1")));
        } finally {
            env.close();
        }
    }

}
