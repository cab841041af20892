package org.runbooks.api;

/**
 * One statement to run on a named connection, under its idempotency key.
 *
 * @param undoes for a revert, the key of the apply it undoes: the revert runs only if that apply committed. Null for
 *               an apply, and for reverts registered before this was recorded, which run unconditionally.
 * @param lockTimeoutMillis how long the statement waits for a lock; null: the connection's lock timeout
 */
public record SqlRun(String idempotencyKey, String connection, String sql, String undoes, Long lockTimeoutMillis) {

    /** A statement that undoes nothing: an apply. */
    public SqlRun(String idempotencyKey, String connection, String sql) {
        this(idempotencyKey, connection, sql, null);
    }

    public SqlRun(String idempotencyKey, String connection, String sql, String undoes) {
        this(idempotencyKey, connection, sql, undoes, null);
    }
}
