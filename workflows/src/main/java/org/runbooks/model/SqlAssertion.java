package org.runbooks.model;

/**
 * A custom check: {@code sql} runs on {@code connection}, returns one number, and passes when that number equals
 * {@code expect} (0 by default, so "count the bad rows" reads naturally).
 */
public record SqlAssertion(String name, String connection, String sql, long expect) {
}
