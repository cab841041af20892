package org.runbooks.model;

/**
 * A table on a named connection. {@code table} is its qualified text, {@code name} or {@code schema.name}, with a
 * part that is not a plain name in double quotes ({@code Sales."Order Lines"}, see
 * {@link org.runbooks.parse.Identifiers}); both parts are checked when the runbook is parsed, and quoted and
 * escaped by the dialect when used.
 */
public record TableRef(String connection, String table) {

    @Override
    public String toString() {
        return connection + "." + table;
    }
}
