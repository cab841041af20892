package org.runbooks.parse;

import org.runbooks.model.BackfillStep;
import org.runbooks.model.ChecksumColumns;
import org.runbooks.model.LeftOutColumns;
import org.runbooks.model.Step;
import org.runbooks.model.TableRef;
import org.runbooks.model.ValidateStep;

import java.util.List;
import java.util.Map;

/**
 * A validate step's {@code checksum: {columns: all, leftOut: fail|warn}}. Which columns it pairs is told by the
 * backfill that copies the validated source table into the validated target: its {@code columns} mapping, so a
 * renamed column is compared under its new name rather than left out. That backfill is only known once every step
 * is, so {@link #check} and {@link #resolve} run after the whole runbook is read.
 */
final class ChecksumOption {

    private ChecksumOption() {
    }

    /** The option as written (no mapping yet), or null without a {@code checksum}. */
    static ChecksumColumns read(Node body) {
        Node node = body.object("checksum", false);
        if (node == null) {
            return null;
        }
        String columns = node.optionalText("columns", "all");
        if (!"all".equals(columns)) {
            node.error(node.child("columns"), "must be 'all', not '" + columns + "'");
        }
        String leftOut = node.optionalText("leftOut", "fail");
        LeftOutColumns policy = switch (leftOut) {
            case "fail" -> LeftOutColumns.FAIL;
            case "warn" -> LeftOutColumns.WARN;
            default -> {
                node.error(node.child("leftOut"), "must be fail or warn, not '" + leftOut + "'");
                yield LeftOutColumns.FAIL;
            }
        };
        node.rejectUnknownKeys();
        return new ChecksumColumns(Map.of(), policy);
    }

    /** Backfills that copy the same source table into the same target with different mappings are ambiguous. */
    static void check(Checks checks, Map<String, Step> steps, Map<String, String> stepPaths) {
        steps.forEach((id, step) -> {
            if (step instanceof ValidateStep validate && validate.checksum()) {
                List<BackfillStep> feeding = feeding(validate, steps);
                if (feeding.stream().map(BackfillStep::columns).distinct().count() > 1) {
                    checks.error(stepPaths.get(id) + ".validate.checksum", "backfill steps "
                            + feeding.stream().map(BackfillStep::id).toList() + " copy " + validate.source()
                            + " into " + validate.target() + " with different columns, so the checksum cannot tell"
                            + " which column of one is which of the other");
                }
            }
        });
    }

    /** The validate step comparing through the mapping of the backfill that feeds its target, if one does. */
    static ValidateStep resolve(ValidateStep validate, Map<String, Step> steps) {
        if (!validate.checksum()) {
            return validate;
        }
        List<BackfillStep> feeding = feeding(validate, steps);
        return feeding.isEmpty() ? validate
                : validate.withChecksumColumns(validate.checksumColumns().through(feeding.get(0).columns()));
    }

    /** The backfills that copy the validated source table (not a query) into the validated target. */
    private static List<BackfillStep> feeding(ValidateStep validate, Map<String, Step> steps) {
        return steps.values().stream()
                .filter(s -> s instanceof BackfillStep b && b.query() == null
                        && sameTable(b.from(), validate.source()) && sameTable(b.to(), validate.target()))
                .map(BackfillStep.class::cast).toList();
    }

    /**
     * The same connection and the table written the same way: names are used as written, case included, so
     * {@code Orders} and {@code orders} are two tables.
     */
    private static boolean sameTable(TableRef a, TableRef b) {
        return a != null && b != null && a.table() != null && b.table() != null
                && a.connection().equals(b.connection()) && a.table().equals(b.table());
    }
}
