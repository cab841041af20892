package org.runbooks.jdbc;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.runbooks.jdbc.connect.ConnectionSettings;
import org.runbooks.jdbc.connect.JdbcConnectionRegistry;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Two separate, empty in-memory H2 databases that the registry resolves as {@code legacy} and {@code target}, as
 * the worker's configuration would. Each instance gets fresh database names, so tests never see each other's rows.
 */
public final class TwoDatabases implements AutoCloseable {

    public static final String LEGACY = "legacy";
    public static final String TARGET = "target";

    /** One attempt only: a test that fails should fail at once, not retry into its timeout. */
    public static final ActivityOptions ONE_ATTEMPT = ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(1))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build();

    private final Map<String, String> urls;
    public final JdbcConnectionRegistry registry;

    public TwoDatabases() {
        urls = Map.of(LEGACY, url(LEGACY), TARGET, url(TARGET));
        registry = new JdbcConnectionRegistry(List.of(
                new ConnectionSettings(LEGACY, urls.get(LEGACY), "sa", ""),
                new ConnectionSettings(TARGET, urls.get(TARGET), "sa", "")));
    }

    private static String url(String name) {
        return "jdbc:h2:mem:" + name + "_" + UUID.randomUUID().toString().replace("-", "")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
    }

    /** A derived table of the whole numbers {@code from..to} in column {@code x}, to generate rows from. */
    public static String numbers(int from, int to) {
        // H2 names the system_range column X in upper case, which DATABASE_TO_LOWER would not find unquoted.
        return "(select \"X\" as x from system_range(" + from + ", " + to + "))";
    }

    /** Runs each statement on {@code connection} and commits. */
    public void execute(String connection, String... statements) {
        try (Connection c = open(connection); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every row of {@code query}, each as a list of its column values. */
    public List<List<Object>> rows(String connection, String query) {
        try (Connection c = open(connection); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            int width = rs.getMetaData().getColumnCount();
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Object[] row = new Object[width];
                for (int i = 0; i < width; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                rows.add(Arrays.asList(row));
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public long count(String connection, String query) {
        return ((Number) rows(connection, query).get(0).get(0)).longValue();
    }

    private Connection open(String connection) throws SQLException {
        return DriverManager.getConnection(urls.get(connection), "sa", "");
    }

    /** The activity's failure as the workflow would see it: the application failure inside the activity failure. */
    public static ApplicationFailure applicationFailureOf(ThrowingCallable activityCall) {
        Throwable thrown = catchThrowable(activityCall);
        assertThat(thrown).as("the activity should fail").isInstanceOf(ActivityFailure.class);
        assertThat(thrown.getCause()).isInstanceOf(ApplicationFailure.class);
        return (ApplicationFailure) thrown.getCause();
    }

    @Override
    public void close() {
        execute(LEGACY, "shutdown");
        execute(TARGET, "shutdown");
    }
}
