package org.runbooks.preflight;

import org.runbooks.validate.ComparedColumns;
import org.runbooks.model.KpiCheck;
import org.runbooks.model.LeftOutColumns;
import org.runbooks.model.SqlAssertion;
import org.runbooks.model.SqlQuery;
import org.runbooks.model.TableRef;
import org.runbooks.model.ValidateStep;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A validation's tables and key columns exist on both sides, and so does its lag window's column (in-flight rows are
 * left out on both sides); its checksum leaves no column out, unless the runbook accepts that; each KPI and
 * assertion query parses and only reads.
 */
final class ValidateChecks {

    private final OpenConnections connections;
    private final StepFindings at;

    ValidateChecks(OpenConnections connections, StepFindings at) {
        this.connections = connections;
        this.at = at;
    }

    void check(ValidateStep step) {
        if (step.comparesTables()) {
            String lagColumn = step.lagWindow() == null ? null : step.lagWindow().column();
            List<String> source = checkTable(step.source(), step.key(), lagColumn, "validate.between.source");
            List<String> target = checkTable(step.target(), step.key(), lagColumn, "validate.between.target");
            if (step.checksum() && source != null && target != null) {
                checkLeftOut(step, ComparedColumns.of(step.checksumColumns(), source, target));
            }
        }
        for (int i = 0; i < step.kpis().size(); i++) {
            KpiCheck kpi = step.kpis().get(i);
            checkQuery(kpi.source(), "validate.kpis[" + i + "].source");
            checkQuery(kpi.target(), "validate.kpis[" + i + "].target");
        }
        for (int i = 0; i < step.assertions().size(); i++) {
            SqlAssertion assertion = step.assertions().get(i);
            checkQuery(new SqlQuery(assertion.connection(), assertion.sql()), "validate.assertions[" + i + "]");
        }
    }

    /**
     * A column the checksum leaves out fails it when the validation runs, after the copy: say so now, as an ERROR,
     * or as a WARNING when the runbook accepts it ({@code leftOut: warn}).
     */
    private void checkLeftOut(ValidateStep step, ComparedColumns columns) {
        if (!columns.leavesOut()) {
            return;
        }
        List<String> sides = new ArrayList<>();
        if (!columns.sourceOnly().isEmpty()) {
            sides.add("source " + columns.sourceOnly());
        }
        if (!columns.targetOnly().isEmpty()) {
            sides.add("target " + columns.targetOnly());
        }
        String found = "the checksum compares " + String.join(", ", columns.described()) + " and leaves out "
                + String.join(", ", sides);
        if (step.checksumColumns().leftOut() == LeftOutColumns.FAIL) {
            at.error("validate.checksum", found + "; map them in the backfill's columns, or accept them with"
                    + " checksum: {leftOut: warn}");
        } else {
            at.warning("validate.checksum", found + " (leftOut: warn)");
        }
    }

    /** The table's columns after checking the key and lag columns; null when it cannot be read. */
    private List<String> checkTable(TableRef table, List<String> key, String lagColumn, String field) {
        return connections.readingCatalog(table.connection(), at, field).map(catalog -> {
            List<String> columns = TableColumns.read(catalog, table, at, field);
            if (columns == null) {
                return null;
            }
            for (int i = 0; i < key.size(); i++) {
                if (!columns.contains(key.get(i))) {
                    at.error("validate.key[" + i + "]", "key column '" + key.get(i) + "' is not a column of " + table);
                }
            }
            if (lagColumn != null && !columns.contains(lagColumn)) {
                at.error("validate.lagWindow.column", "column '" + lagColumn + "' is not a column of " + table);
            }
            return columns;
        }).orElse(null);
    }

    /**
     * The query parses, and reads: it is also asked for its columns as a subquery, as a backfill's query is, which
     * PostgreSQL refuses for a WITH that deletes or updates (EXPLAIN alone plans one without a word).
     */
    private void checkQuery(SqlQuery query, String field) {
        connections.readingCatalog(query.connection(), at, field + ".connection").ifPresent(catalog -> {
            try {
                catalog.checkParses(query.sql());
            } catch (SQLException e) {
                at.error(field + ".sql", "does not parse on connection '" + query.connection() + "': "
                        + SqlProblems.describe(e));
                return;
            }
            try {
                catalog.queryColumns(query.sql());
            } catch (SQLException e) {
                at.error(field + ".sql", "does not run as a read-only query on connection '" + query.connection()
                        + "': " + SqlProblems.describe(e));
            }
        });
    }
}
