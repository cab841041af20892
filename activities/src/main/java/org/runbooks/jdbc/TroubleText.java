package org.runbooks.jdbc;

import java.util.regex.Pattern;

/**
 * Words an error for {@code status} and history: on one line, at most {@value #MAX_LENGTH} characters, and never
 * a password, whether a JDBC URL carries it as a parameter ({@code password=...}) or as user info
 * ({@code //user:secret@host}). Drivers quote the host and port they could not reach, which an operator needs; the
 * worker's connection settings (where credentials live) are never part of a message.
 */
final class TroubleText {

    /** Longest error shown: 500 characters, enough for a driver's message and its SQLState. */
    static final int MAX_LENGTH = 500;

    private static final Pattern PASSWORD = Pattern.compile("(?i)(password\\s*[=:]\\s*)[^;&\\s,)]+");
    private static final Pattern USER_INFO = Pattern.compile("(://[^/:@\\s]+:)[^@\\s/]+@");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private TroubleText() {
    }

    static String of(String message) {
        if (message == null) {
            return "no message";
        }
        String text = scrub(WHITESPACE.matcher(message.strip()).replaceAll(" "));
        return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH - 1) + "…";
    }

    /** {@code message} with every password replaced by {@code ***}; its lines and length as they were. */
    static String scrub(String message) {
        if (message == null) {
            return null;
        }
        return USER_INFO.matcher(PASSWORD.matcher(message).replaceAll("$1***")).replaceAll("$1***@");
    }
}
