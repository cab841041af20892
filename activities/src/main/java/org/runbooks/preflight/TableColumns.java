package org.runbooks.preflight;

import org.runbooks.model.TableRef;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** Reads a table's columns for a step, or records why it cannot: the table is missing, or unreadable. */
final class TableColumns {

    private TableColumns() {
    }

    /** The columns of {@code table}, or null after an ERROR at {@code field}. */
    static List<String> read(Catalog catalog, TableRef table, StepFindings at, String field) {
        Map<String, Integer> types = types(catalog, table, at, field);
        return types == null ? null : List.copyOf(types.keySet());
    }

    /** The columns of {@code table} with their {@link java.sql.Types} codes; null after an ERROR at {@code field}. */
    static Map<String, Integer> types(Catalog catalog, TableRef table, StepFindings at, String field) {
        try {
            return catalog.tableColumnTypes(table.table());
        } catch (SQLException e) {
            at.error(field, catalog.isMissingTable(e)
                    ? "table " + table.table() + " does not exist on connection '" + table.connection() + "'"
                    : "cannot read table " + table.table() + " on connection '" + table.connection() + "': "
                            + SqlProblems.describe(e));
            return null;
        }
    }
}
