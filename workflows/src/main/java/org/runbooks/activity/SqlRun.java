package org.runbooks.activity;

/** One statement to run on a named connection. */
public record SqlRun(String idempotencyKey, String connection, String sql) {
}
