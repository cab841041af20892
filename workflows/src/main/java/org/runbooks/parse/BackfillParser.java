package org.runbooks.parse;

import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.BackfillThrottle;
import org.runbooks.model.Limits;
import org.runbooks.model.TableRef;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code backfill: {from: {connection, table | query}, to, key, columns, chunkRows, parallelism, rowsPerSecond,
 * onRollback, throttle}}.
 */
final class BackfillParser implements StepParser<BackfillStep> {

    @Override
    public BackfillStep parse(String id, Node body) {
        Node fromNode = body.object("from", true);
        TableRef from = null;
        String query = null;
        if (fromNode != null) {
            String connection = Fields.connection(fromNode, "connection");
            boolean hasTable = fromNode.has("table");
            if (hasTable == fromNode.has("query")) {
                fromNode.error(fromNode.path(), "needs exactly one of table or query");
            }
            String table = hasTable ? Fields.tableName(fromNode) : null;
            query = fromNode.optionalText("query", null);
            if (query != null) {
                Fields.readQuery(fromNode, "query", query);
            }
            fromNode.rejectUnknownKeys();
            from = new TableRef(connection, table);
        }
        TableRef to = Fields.table(body.object("to", true));
        List<String> key = Fields.keyColumns(body);
        Map<String, String> columns = body.textMap("columns");
        checkMapping(body, columns, key);
        int chunkRows = body.optionalInt("chunkRows", BackfillStep.DEFAULT_CHUNK_ROWS);
        if (Limits.chunkRowsProblem(chunkRows) != null) {
            body.error(body.child("chunkRows"), Limits.chunkRowsProblem(chunkRows));
        }
        int parallelism = body.optionalInt("parallelism", 1);
        if (Limits.parallelismProblem(parallelism) != null) {
            body.error(body.child("parallelism"), Limits.parallelismProblem(parallelism));
        }
        long rowsPerSecond = body.optionalLong("rowsPerSecond", 0);
        if (Limits.rowsPerSecondProblem(rowsPerSecond) != null) {
            body.error(body.child("rowsPerSecond"), Limits.rowsPerSecondProblem(rowsPerSecond));
        }
        String onRollback = body.optionalText("onRollback", "delete-copied");
        BackfillRollback rollback = switch (onRollback) {
            case "delete-copied" -> BackfillRollback.DELETE_COPIED;
            case "keep" -> BackfillRollback.KEEP;
            default -> {
                body.error(body.child("onRollback"), "must be delete-copied or keep, not '" + onRollback + "'");
                yield BackfillRollback.DELETE_COPIED;
            }
        };
        BackfillThrottle throttle = ThrottleOption.read(body);
        return new BackfillStep(id, from, query, to, key, columns, chunkRows, parallelism, rowsPerSecond, rollback,
                throttle);
    }

    private static void checkMapping(Node body, Map<String, String> columns, List<String> key) {
        Set<String> targets = new HashSet<>();
        columns.forEach((source, target) -> {
            String path = body.child("columns") + "." + source;
            if (!Identifiers.isQuotableName(source)) {
                body.error(path, Fields.notAColumn(source));
            }
            if (!Identifiers.isQuotableName(target)) {
                body.error(path, Fields.notAColumn(target));
            } else if (!targets.add(target)) {
                body.error(path, "maps a second column to '" + target + "'");
            }
        });
        if (!columns.isEmpty()) {
            for (int i = 0; i < key.size(); i++) {
                if (!columns.containsKey(key.get(i))) {
                    body.error(body.child("key") + "[" + i + "]", "key column '" + key.get(i)
                            + "' is not among the mapped columns");
                }
            }
        }
    }
}
