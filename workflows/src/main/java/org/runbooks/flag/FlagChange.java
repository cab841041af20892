package org.runbooks.flag;

/** Set flag {@code name} on {@code connection} to {@code percent}; the key is run id + step id. */
public record FlagChange(String idempotencyKey, String connection, String name, int percent, String changedBy) {
}
