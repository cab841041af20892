package org.runbooks.model;

/** A read-only query on a named connection; it returns one row with one number. */
public record SqlQuery(String connection, String sql) {
}
