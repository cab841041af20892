package org.runbooks.parse;

import com.fasterxml.jackson.databind.JsonNode;
import org.runbooks.model.CutoverStep;
import org.runbooks.model.FlagStep;
import org.runbooks.model.SqlStep;
import org.runbooks.model.Step;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code cutover: {stream | streams: [..], flags: [{connection, name, percent|enabled}], maxLag, catchUp,
 * freeze: [tables] | {tables, flag, sql}, sequences: {margin}, reverse, settle}}, tied to the streams it switches.
 */
final class CutoverParser implements StepParser<CutoverStep> {

    private static final FlagParser FLAG = new FlagParser();

    @Override
    public CutoverStep parse(String id, Node body) {
        List<String> streams = streams(body);
        String stream = streams.isEmpty() ? null : streams.get(0);
        Duration maxLag = body.optionalDuration("maxLag");
        Duration catchUp = body.optionalDuration("catchUp");
        Freeze freeze = freeze(id, body);
        long margin = 0;
        Node sequences = body.object("sequences", false);
        if (sequences != null) {
            margin = sequences.optionalLong("margin", 0);
            if (margin < 0) {
                sequences.error(sequences.child("margin"), "must be 0 or more, not " + margin);
            }
            sequences.rejectUnknownKeys();
        }
        boolean reverse = body.optionalBoolean("reverse", true);
        Duration settle = body.optionalDuration("settle");
        List<FlagStep> flags = new ArrayList<>();
        List<Node> flagNodes = body.objects("flags", true);
        if (flagNodes.isEmpty() && body.has("flags")) {
            body.error(body.child("flags"), "must name at least one flag: the flags are what switch the application");
        }
        for (int i = 0; i < flagNodes.size(); i++) {
            FlagStep flag = FLAG.parse(id + "/flag-" + (i + 1), flagNodes.get(i));
            flagNodes.get(i).rejectUnknownKeys();
            flags.add(flag);
        }
        return new CutoverStep(id, stream, maxLag == null ? CutoverStep.DEFAULT_MAX_LAG : maxLag,
                catchUp == null ? CutoverStep.DEFAULT_CATCH_UP : catchUp, freeze.tables(), margin, reverse,
                settle == null ? CutoverStep.DEFAULT_SETTLE : settle, flags, null, streams, null, freeze.flag(),
                freeze.sql());
    }

    /** What the runbook freezes writes with: triggers on tables, a flag, SQL with its revert, or several of them. */
    private record Freeze(List<String> tables, FlagStep flag, SqlStep sql) {
    }

    /**
     * {@code freeze: [tables]}, or {@code freeze: {tables: [..], flag: {connection, name, enabled}, sql: {connection,
     * apply, revert}}} with at least one of the three. The flag and the SQL are read as flag and sql steps are, and
     * the SQL must have a revert (the thaw runs it) and may call nothing that acts beyond its statement.
     */
    private static Freeze freeze(String id, Node body) {
        if (!body.has("freeze")) {
            return new Freeze(List.of(), null, null);
        }
        JsonNode raw = body.raw("freeze");
        if (raw != null && raw.isArray()) {
            return new Freeze(tables(body, "freeze", body.textList("freeze", false)), null, null);
        }
        Node freeze = body.object("freeze", false);
        if (freeze == null) {
            return new Freeze(List.of(), null, null);
        }
        List<String> tables = List.of();
        if (freeze.has("tables")) {
            tables = tables(freeze, "tables", freeze.textList("tables", true));
            if (tables.isEmpty() && freeze.isEmptyList("tables")) {
                freeze.error(freeze.child("tables"), "must name at least one table");
            }
        }
        FlagStep flag = null;
        Node flagNode = freeze.object("flag", false);
        if (flagNode != null) {
            flag = FLAG.parse(id + "/freeze-flag", flagNode);
            flagNode.rejectUnknownKeys();
        }
        SqlStep sql = null;
        Node sqlNode = freeze.object("sql", false);
        if (sqlNode != null) {
            sql = freezeSql(id, sqlNode);
            sqlNode.rejectUnknownKeys();
        }
        if (!freeze.has("tables") && flagNode == null && sqlNode == null) {
            freeze.error(freeze.path(), "needs tables, flag or sql: what refuses the application's writes");
        }
        freeze.rejectUnknownKeys();
        return new Freeze(tables, flag, sql);
    }

    /**
     * {@code sql: {connection, apply, revert, lockTimeout}}: as a sql step's, except that the revert is required (the
     * thaw runs it), and neither may call what acts beyond its statement (end other sessions, read files, ...).
     */
    private static SqlStep freezeSql(String id, Node node) {
        String connection = Fields.connection(node, "connection");
        String apply = node.requiredText("apply");
        String revert = node.requiredText("revert");
        Duration lockTimeout = node.optionalDuration("lockTimeout");
        for (String key : List.of("apply", "revert")) {
            String text = key.equals("apply") ? apply : revert;
            if (text != null) {
                SideEffectingSql.find(text).ifPresent(effect -> node.error(node.child(key),
                        "must only refuse or allow writes, but it " + effect));
            }
        }
        return new SqlStep(id + "/freeze-sql", connection, apply, revert, false, lockTimeout);
    }

    /** Each item must be a table name; errors at {@code field[i]}. */
    private static List<String> tables(Node node, String field, List<String> tables) {
        for (int i = 0; i < tables.size(); i++) {
            if (!Identifiers.isPlainTable(tables.get(i))) {
                node.error(node.child(field) + "[" + i + "]", "'" + tables.get(i) + "' is not a table name");
            }
        }
        return tables;
    }

    /** {@code stream: a} or {@code streams: [a, b]}, exactly one of them, each stream named once. */
    private static List<String> streams(Node body) {
        if (body.has("stream") == body.has("streams")) {
            body.skip("stream");
            body.skip("streams");
            body.error(body.child("stream"), body.has("stream")
                    ? "give stream or streams, not both" : "is required: the stream (or streams: [..]) it switches");
            return List.of();
        }
        if (body.has("stream")) {
            return List.of(body.requiredText("stream"));
        }
        List<String> streams = body.textList("streams", true);
        if (streams.isEmpty()) {
            body.error(body.child("streams"), "must name at least one stream");
        }
        for (int i = 0; i < streams.size(); i++) {
            if (streams.indexOf(streams.get(i)) != i) {
                body.error(body.child("streams") + "[" + i + "]", "names " + streams.get(i) + " twice");
            }
        }
        return streams;
    }

    @Override
    public Step tie(CutoverStep cutover, Ties ties) {
        Step tied = ties.toStreams(cutover, cutover.streams(), "cutover", cutover::resolve);
        if (tied instanceof CutoverStep c && c.resolved() != null) {
            Set<String> sources = new LinkedHashSet<>();
            c.resolvedStreams().forEach(s -> sources.add(s.from().connection()));
            for (int i = 0; i < c.freeze().size() && sources.size() > 1; i++) {
                String table = c.freeze().get(i);
                if (c.resolvedStreams().stream().noneMatch(s -> s.from().table().equals(table))) {
                    ties.error("cutover.freeze[" + i + "]", "'" + table + "' is no stream's source table, and the"
                            + " streams read from several connections (" + String.join(", ", sources)
                            + "): freeze only their source tables");
                }
            }
        }
        return tied;
    }
}
