package org.runbooks.preflight;

import org.runbooks.backfill.KeyRanges;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.BackfillThrottle;
import org.runbooks.model.TableRef;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A backfill's source (table or query) and target exist, its key and mapped columns exist on the side that must
 * have them, how many rows the source holds, and whether the target already holds rows (which decides what a
 * rollback can delete).
 */
final class BackfillChecks {

    private final OpenConnections connections;
    private final StepFindings at;

    BackfillChecks(OpenConnections connections, StepFindings at) {
        this.connections = connections;
        this.at = at;
    }

    void check(BackfillStep step) {
        // The copy reads its source with the connection's read-only login, when it has one: so does pre-flight.
        Optional<Catalog> source = connections.readingCatalog(step.from().connection(), at,
                "backfill.from.connection");
        Optional<Catalog> target = connections.catalog(step.to().connection(), at, "backfill.to.connection");
        Map<String, Integer> sourceTypes = source.map(c -> sourceColumns(c, step)).orElse(null);
        List<String> sourceColumns = sourceTypes == null ? null : List.copyOf(sourceTypes.keySet());
        List<String> targetColumns = target.map(c -> TableColumns.read(c, step.to(), at, "backfill.to")).orElse(null);
        if (sourceColumns != null) {
            checkSourceColumns(step, sourceColumns);
            if (step.query() == null) {
                checkSourceKey(source.get(), step, sourceColumns);
            }
            estimateRows(source.get(), step);
            planKeyRanges(step, sourceTypes);
        }
        if (targetColumns != null) {
            checkTargetColumns(step, targetColumns);
            checkTargetKey(target.get(), step, targetColumns);
            describeTarget(target.get(), step);
        }
        if (sourceColumns != null && targetColumns != null && step.columns().isEmpty()) {
            checkSharedColumns(step, sourceColumns, targetColumns);
        }
        checkThrottleQuery(step.throttle());
    }

    /** A throttle query is asked before every chunk: it must parse on its connection before the copy starts. */
    private void checkThrottleQuery(BackfillThrottle throttle) {
        if (throttle == null || throttle.query() == null) {
            return;
        }
        connections.readingCatalog(throttle.connection(), at, "backfill.throttle.connection").ifPresent(catalog -> {
            try {
                catalog.checkParses(throttle.query());
            } catch (SQLException e) {
                at.error("backfill.throttle.query", "does not parse on connection '" + throttle.connection() + "': "
                        + SqlProblems.describe(e));
            }
        });
    }

    private Map<String, Integer> sourceColumns(Catalog catalog, BackfillStep step) {
        if (step.query() == null) {
            return TableColumns.types(catalog, step.from(), at, "backfill.from");
        }
        try {
            return catalog.queryColumnTypes(step.query());
        } catch (SQLException e) {
            at.error("backfill.from.query", "the query does not run on connection '" + step.from().connection()
                    + "': " + SqlProblems.describe(e));
            return null;
        }
    }

    private void checkSourceColumns(BackfillStep step, List<String> columns) {
        String source = sourceName(step);
        for (int i = 0; i < step.key().size(); i++) {
            String key = step.key().get(i);
            if (!columns.contains(key)) {
                at.error("backfill.key[" + i + "]", "key column '" + key + "' is not a column of " + source);
            }
        }
        for (String column : step.columns().keySet()) {
            if (!columns.contains(column)) {
                at.error("backfill.columns." + column, "column '" + column + "' is not a column of " + source);
            }
        }
    }

    private void checkTargetColumns(BackfillStep step, List<String> columns) {
        for (int i = 0; i < step.key().size(); i++) {
            String key = step.targetColumn(step.key().get(i));
            if (key != null && !columns.contains(key)) {
                at.error("backfill.key[" + i + "]", "key column '" + key + "' is not a column of " + step.to());
            }
        }
        for (Map.Entry<String, String> mapped : step.columns().entrySet()) {
            if (!columns.contains(mapped.getValue())) {
                at.error("backfill.columns." + mapped.getKey(), "column '" + mapped.getValue()
                        + "' (mapped from '" + mapped.getKey() + "') is not a column of " + step.to());
            }
        }
    }

    /**
     * How many key ranges the copy will run at once: only an integer leading key is cut into ranges (the copy decides
     * it the same way, {@link KeyRanges#whyNotCut}), so any other key copies in one range whatever the parallelism.
     */
    private void planKeyRanges(BackfillStep step, Map<String, Integer> sourceTypes) {
        String leading = step.key().get(0);
        Integer type = sourceTypes.get(leading);
        if (step.parallelism() <= 1 || type == null) {
            return;
        }
        String notCut = KeyRanges.whyNotCut(leading, type);
        at.keyRanges(notCut == null ? step.parallelism() : 1, notCut);
    }

    /**
     * The copy walks the source in key order, {@code key > last}: a row whose key is NULL is never read, and rows
     * sharing a key overwrite each other in the target. So every key column must be NOT NULL, and some unique index
     * (or the primary key) must lie within the key.
     */
    private void checkSourceKey(Catalog catalog, BackfillStep step, List<String> columns) {
        if (!columns.containsAll(step.key())) {
            return;
        }
        try {
            List<String> nullable = catalog.nullableColumns(step.from().table());
            for (int i = 0; i < step.key().size(); i++) {
                if (nullable.contains(step.key().get(i))) {
                    at.error("backfill.key[" + i + "]", "key column '" + step.key().get(i) + "' of " + step.from()
                            + " may be NULL, and a row with a NULL key is never copied; declare it NOT NULL");
                }
            }
            if (!uniqueWithin(catalog.uniqueIndexes(step.from().table()), step.key())) {
                at.error("backfill.key", "no unique index or primary key of " + step.from() + " lies within the key "
                        + step.key() + ", so rows may share a key and overwrite each other in " + step.to());
            }
        } catch (SQLException e) {
            at.error("backfill.key", "cannot read the key of " + step.from() + ": " + SqlProblems.describe(e));
        }
    }

    /** The target is written by key (an upsert, a repair, a rollback's delete): it needs a unique index there. */
    private void checkTargetKey(Catalog catalog, BackfillStep step, List<String> columns) {
        List<String> key = step.key().stream().map(step::targetColumn).toList();
        if (key.contains(null) || !columns.containsAll(key)) {
            return;
        }
        try {
            if (!uniqueWithin(catalog.uniqueIndexes(step.to().table()), key)) {
                at.error("backfill.to", step.to() + " has no unique index or primary key within the key " + key
                        + ", so a retried chunk could write its rows twice; add one");
            }
        } catch (SQLException e) {
            at.error("backfill.to", "cannot read the indexes of " + step.to() + ": " + SqlProblems.describe(e));
        }
    }

    private static boolean uniqueWithin(List<Set<String>> uniqueIndexes, List<String> key) {
        return uniqueIndexes.stream().anyMatch(key::containsAll);
    }

    /** Without a mapping the copy takes the columns both sides share by name; say what that leaves out. */
    private void checkSharedColumns(BackfillStep step, List<String> source, List<String> target) {
        List<String> shared = source.stream().filter(target::contains).toList();
        List<String> left = source.stream().filter(c -> !target.contains(c)).toList();
        if (shared.isEmpty()) {
            at.error("backfill", sourceName(step) + " and " + step.to()
                    + " share no column name; map them with columns");
        } else if (!left.isEmpty()) {
            at.warning("backfill", "columns " + left + " of " + sourceName(step) + " have no column of that name in "
                    + step.to() + " and will not be copied");
        }
    }

    private void estimateRows(Catalog catalog, BackfillStep step) {
        try {
            RowCount rows = step.query() == null
                    ? catalog.tableRows(step.from().table())
                    : catalog.queryRows(step.query());
            at.estimate("backfill.from", sourceName(step), rows);
        } catch (SQLException e) {
            at.info("backfill.from", "row count of " + sourceName(step) + " not known: " + SqlProblems.describe(e));
        }
    }

    private void describeTarget(Catalog catalog, BackfillStep step) {
        TableRef to = step.to();
        try {
            if (!catalog.hasRows(to.table())) {
                at.info("backfill.to", to + " is empty");
            } else if (step.onRollback() == BackfillRollback.DELETE_COPIED) {
                at.warning("backfill.to", to + " already holds rows, so a rollback will keep the rows this backfill "
                        + "copies (onRollback: delete-copied only deletes from a target that was empty)");
            } else {
                at.info("backfill.to", to + " already holds rows; rows with the same key are overwritten");
            }
        } catch (SQLException e) {
            at.error("backfill.to", "cannot read " + to + ": " + SqlProblems.describe(e));
        }
    }

    private static String sourceName(BackfillStep step) {
        return step.query() == null ? step.from().toString() : "the query on " + step.from().connection();
    }
}
