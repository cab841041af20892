package org.runbooks.preflight;

import java.sql.SQLException;
import java.util.regex.Pattern;

/**
 * Words a database error for a finding: its first line only (drivers append the statement and positions), and
 * never a password, even one a JDBC URL carries as a parameter.
 */
final class SqlProblems {

    private static final Pattern PASSWORD = Pattern.compile("(?i)(password\\s*=\\s*)[^;&\\s]+");
    private static final Pattern H2_STATEMENT_TAIL = Pattern.compile(";? ?SQL statement:.*$");

    private SqlProblems() {
    }

    static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String first = message.strip().lines().findFirst().orElse(message);
        first = H2_STATEMENT_TAIL.matcher(first).replaceAll("");
        String state = e instanceof SQLException sql && sql.getSQLState() != null
                ? " [SQLState " + sql.getSQLState() + "]"
                : "";
        return scrub(first) + state;
    }

    static String scrub(String text) {
        return PASSWORD.matcher(text).replaceAll("$1***");
    }
}
