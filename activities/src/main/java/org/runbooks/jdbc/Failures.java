package org.runbooks.jdbc;

import io.temporal.failure.ApplicationFailure;
import org.runbooks.jdbc.connect.UnknownConnectionException;
import org.runbooks.jdbc.dialect.UnsafeIdentifierException;
import org.runbooks.notify.NotifyActivitiesImpl;

import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

/**
 * Turns what went wrong into a Temporal failure with a stable type. Only trouble a retry can fix (an unreachable or
 * busy database) stays retryable; a wrong name, an unsafe identifier or a schema mismatch is final.
 */
public final class Failures {

    /** Types of failure that no retry can fix, as they appear in workflow history. */
    static final String UNKNOWN_CONNECTION = "UnknownConnection";
    static final String UNSAFE_IDENTIFIER = "UnsafeIdentifier";
    public static final String SCHEMA_MISMATCH = "SchemaMismatch";
    static final String SQL_ERROR = "SqlError";
    static final String DATABASE_UNAVAILABLE = "DatabaseUnavailable";
    /** Retryable: a statement waited longer than its lock timeout; another session held the lock. */
    static final String LOCK_TIMEOUT = "LockTimeout";
    /** Final: a statement ran longer than its connection's statement timeout. */
    static final String STATEMENT_TIMEOUT = "StatementTimeout";

    /** Retryable failure types that mean something the activity needs cannot be reached: shown in status. */
    private static final Set<String> UNREACHABLE =
            Set.of(DATABASE_UNAVAILABLE, NotifyActivitiesImpl.WEBHOOK_UNAVAILABLE);

    private Failures() {
    }

    public static RuntimeException of(Exception e) {
        return switch (e) {
            case ApplicationFailure app -> app;
            // Cancellation (a pause, a re-tune, a rollback) must reach the SDK as itself, not as a failure.
            case io.temporal.client.ActivityCompletionException cancelled -> cancelled;
            case UnknownConnectionException u -> ApplicationFailure.newNonRetryableFailure(u.getMessage(), UNKNOWN_CONNECTION);
            case UnsafeIdentifierException u -> ApplicationFailure.newNonRetryableFailure(u.getMessage(), UNSAFE_IDENTIFIER);
            case SQLException sql when isLockTimeout(sql) -> ApplicationFailure.newFailure("gave up waiting for a lock"
                    + " (another session holds it; retried after a backoff): " + describe(sql), LOCK_TIMEOUT);
            case SQLException sql when isStatementTimeout(sql) -> ApplicationFailure.newNonRetryableFailure(
                    "ran past the connection's statement timeout: " + describe(sql), STATEMENT_TIMEOUT);
            case SQLException sql when isTransient(sql) ->
                    ApplicationFailure.newFailure(describe(sql), DATABASE_UNAVAILABLE);
            case SQLException sql -> ApplicationFailure.newNonRetryableFailure(describe(sql), SQL_ERROR);
            default -> ApplicationFailure.newFailure(e.toString(), e.getClass().getSimpleName());
        };
    }

    /**
     * Why {@code failure} is trouble that a retry may ride out because a database or webhook cannot be reached, worded
     * for {@code status} ({@link TroubleText}); empty for any other failure, retryable or not.
     */
    static Optional<String> unreachable(Throwable failure) {
        if (failure instanceof ApplicationFailure app && !app.isNonRetryable() && UNREACHABLE.contains(app.getType())) {
            return Optional.of(TroubleText.of(app.getOriginalMessage()));
        }
        return Optional.empty();
    }

    /** The driver's message (a password a JDBC URL carries scrubbed) and the SQLState. */
    private static String describe(SQLException sql) {
        return TroubleText.scrub(sql.getMessage()) + " [SQLState " + sql.getSQLState() + "]";
    }

    public static ApplicationFailure schemaMismatch(String message) {
        return ApplicationFailure.newNonRetryableFailure(message, SCHEMA_MISMATCH);
    }

    /** PostgreSQL's lock_not_available (55P03), MariaDB's lock wait timeout (1205), H2's lock timeout (50200). */
    private static boolean isLockTimeout(SQLException e) {
        return "55P03".equals(e.getSQLState()) || e.getErrorCode() == 1205 || e.getErrorCode() == 50200;
    }

    /** PostgreSQL's statement_timeout (57014 with that message), MariaDB's max_statement_time (1969). */
    private static boolean isStatementTimeout(SQLException e) {
        return ("57014".equals(e.getSQLState()) && e.getMessage() != null
                && e.getMessage().contains("statement timeout")) || e.getErrorCode() == 1969;
    }

    /**
     * Connection failures (SQLState class 08), an admin shutdown or crash (57P), resource limits (53), and
     * serialization or deadlock conflicts (40) are worth retrying; syntax, missing objects and constraint
     * violations are not.
     */
    private static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        if (state == null) {
            return true;
        }
        return state.startsWith("08") || state.startsWith("57P") || state.startsWith("53") || state.startsWith("40")
                || state.startsWith("HYT");
    }
}
