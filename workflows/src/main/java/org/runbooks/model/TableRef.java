package org.runbooks.model;

/**
 * A table on a named connection. {@code table} is {@code schema.name} or {@code name}; both parts are checked
 * as identifiers when the runbook is parsed and quoted by the dialect when used.
 */
public record TableRef(String connection, String table) {

    @Override
    public String toString() {
        return connection + "." + table;
    }
}
