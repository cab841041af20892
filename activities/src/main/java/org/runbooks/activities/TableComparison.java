package org.runbooks.activities;

import org.runbooks.model.TableRef;
import org.runbooks.model.ValidateStep;

import java.sql.SQLException;
import java.util.List;

/**
 * The table half of a validation: each side's row count and, when the step asks, a checksum over the columns both
 * tables share. Errors here (a missing table, an unsafe name) fail the activity: the runbook names the tables, so no
 * retry and no verdict can help.
 *
 * @param sourceChecksum null when the step asks for no checksum
 */
record TableComparison(long sourceRows, long targetRows, String sourceChecksum, String targetChecksum) {

    static TableComparison run(ReadOnlyQueries queries, ValidateStep step) throws SQLException {
        TableRef source = step.source();
        TableRef target = step.target();
        long sourceRows = queries.read(source.connection(), (c, d) -> Tables.count(c, d, source.table()));
        long targetRows = queries.read(target.connection(), (c, d) -> Tables.count(c, d, target.table()));
        if (!step.checksum()) {
            return new TableComparison(sourceRows, targetRows, null, null);
        }
        List<String> sourceColumns = queries.read(source.connection(), (c, d) -> Tables.columns(c, d, source.table()));
        List<String> targetColumns = queries.read(target.connection(), (c, d) -> Tables.columns(c, d, target.table()));
        List<String> common = sourceColumns.stream().filter(targetColumns::contains).toList();
        String sourceSum = queries.read(source.connection(),
                (c, d) -> TableChecksum.of(c, d, source.table(), common, step.key()));
        String targetSum = queries.read(target.connection(),
                (c, d) -> TableChecksum.of(c, d, target.table(), common, step.key()));
        return new TableComparison(sourceRows, targetRows, sourceSum, targetSum);
    }
}
