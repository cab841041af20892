package org.runbooks.parse;

import com.fasterxml.jackson.databind.JsonNode;
import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.BackfillThrottle;
import org.runbooks.model.ChecksumColumns;
import org.runbooks.model.KpiCheck;
import org.runbooks.model.LagWindow;
import org.runbooks.model.Limits;
import org.runbooks.model.SqlAssertion;
import org.runbooks.model.SqlQuery;
import org.runbooks.model.TableRef;
import org.runbooks.model.ValidateRepair;
import org.runbooks.model.ValidateStep;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the steps that move and compare data: {@code backfill} and {@code validate}. */
final class DataSteps {

    private static final Pattern READ_QUERY = Pattern.compile("(?is)\\s*(select|with)\\b.*");
    /**
     * A WITH query whose common table expression writes: {@code with d as (delete ... returning ...) select ...}
     * starts like a read and is one statement, yet deletes, updates or inserts when it runs.
     */
    private static final Pattern WRITING_WITH = Pattern.compile(
            "(?is).*\\bas\\s*(?:not\\s+)?(?:materialized\\s*)?\\(\\s*(insert|update|delete|merge)\\b.*");
    private static final Pattern CHECK_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final String ANY_NAME = "1 to 63 bytes, no control characters";

    private DataSteps() {
    }

    static BackfillStep backfill(String id, Node body) {
        Node fromNode = body.object("from", true);
        TableRef from = null;
        String query = null;
        if (fromNode != null) {
            String connection = connection(fromNode, "connection");
            boolean hasTable = fromNode.has("table");
            if (hasTable == fromNode.has("query")) {
                fromNode.error(fromNode.path(), "needs exactly one of table or query");
            }
            String table = hasTable ? tableName(fromNode) : null;
            query = fromNode.optionalText("query", null);
            if (query != null) {
                readQuery(fromNode, "query", query);
            }
            fromNode.rejectUnknownKeys();
            from = new TableRef(connection, table);
        }
        TableRef to = table(body.object("to", true));
        List<String> key = keyColumns(body);
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

    /**
     * The error for a column name no database could hold. Any other name is taken as the database spells it, quoted
     * and escaped by the dialect wherever it is used: {@code Ship Date}, {@code Order"Id} and {@code order} too.
     */
    static String notAColumn(String name) {
        return "'" + name + "' is not a column name (" + ANY_NAME + ")";
    }

    private static void checkMapping(Node body, Map<String, String> columns, List<String> key) {
        Set<String> targets = new HashSet<>();
        columns.forEach((source, target) -> {
            String path = body.child("columns") + "." + source;
            if (!Identifiers.isQuotableName(source)) {
                body.error(path, notAColumn(source));
            }
            if (!Identifiers.isQuotableName(target)) {
                body.error(path, notAColumn(target));
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

    static ValidateStep validate(String id, Node body) {
        Node between = body.object("between", false);
        TableRef source = null;
        TableRef target = null;
        List<String> key = List.of();
        long tolerance = 0;
        boolean checksum = false;
        ValidateRepair repair = null;
        LagWindow lagWindow = null;
        ChecksumColumns checksumColumns = null;
        if (between != null) {
            source = namedTable(between, "source");
            target = namedTable(between, "target");
            between.rejectUnknownKeys();
            key = keyColumns(body);
            Node rowCount = body.object("rowCount", false);
            if (rowCount != null) {
                tolerance = rowCount.optionalLong("tolerance", 0);
                if (tolerance < 0) {
                    rowCount.error(rowCount.child("tolerance"), "must be >= 0, not " + tolerance);
                }
                rowCount.rejectUnknownKeys();
            }
            checksumColumns = ChecksumOption.read(body);
            checksum = checksumColumns != null;
            lagWindow = LagWindowOption.read(body);
            repair = RepairOption.read(body);
            if (repair != null && !checksum) {
                body.error(body.child("repair"), "needs checksum, whose bisection finds the keys to repair");
                repair = null;
            }
        } else {
            for (String needsTables : List.of("key", "rowCount", "checksum", "repair", "lagWindow")) {
                if (body.has(needsTables)) {
                    body.skip(needsTables);
                    body.error(body.child(needsTables), "compares two tables, so it needs between");
                }
            }
        }
        Set<String> names = new HashSet<>();
        List<KpiCheck> kpis = new ArrayList<>();
        for (Node kpi : body.objects("kpis", false)) {
            kpis.add(kpi(kpi, names));
        }
        List<SqlAssertion> assertions = new ArrayList<>();
        for (Node assertion : body.objects("assertions", false)) {
            assertions.add(assertion(assertion, names));
        }
        if (between == null && kpis.isEmpty() && assertions.isEmpty() && !body.has("kpis") && !body.has("assertions")) {
            body.error(body.path(), "needs at least one of between, kpis or assertions");
        }
        return new ValidateStep(id, source, target, key, tolerance, checksum, kpis, assertions, repair,
                lagWindow, checksumColumns);
    }

    private static KpiCheck kpi(Node node, Set<String> names) {
        String name = checkName(node, names);
        SqlQuery source = sqlQuery(node.object("source", true));
        SqlQuery target = sqlQuery(node.object("target", true));
        boolean absolute = node.has("tolerance");
        Double tolerance = node.optionalNumber("tolerance");
        Double percent = node.optionalNumber("tolerancePercent");
        if (absolute && percent != null) {
            node.error(node.path(), "give tolerance or tolerancePercent, not both");
        }
        if (tolerance != null && tolerance < 0) {
            node.error(node.child("tolerance"), "must be >= 0, not " + tolerance);
        }
        if (percent != null && (percent < 0 || percent > 100)) {
            node.error(node.child("tolerancePercent"), "must be between 0 and 100, not " + percent);
        }
        node.rejectUnknownKeys();
        return new KpiCheck(name, source, target, tolerance == null ? 0 : tolerance, percent);
    }

    private static SqlAssertion assertion(Node node, Set<String> names) {
        String name = checkName(node, names);
        String connection = connection(node, "connection");
        String sql = node.requiredText("sql");
        readQuery(node, "sql", sql);
        long expect = node.optionalLong("expect", 0);
        node.rejectUnknownKeys();
        return new SqlAssertion(name, connection, sql, expect);
    }

    private static String checkName(Node node, Set<String> names) {
        String name = node.requiredText("name");
        if (name != null && !CHECK_NAME.matcher(name).matches()) {
            node.error(node.child("name"), "must be lowercase letters, digits and dashes");
        } else if (name != null && !names.add(name)) {
            node.error(node.child("name"), "duplicate check name '" + name + "' in this step");
        }
        return name;
    }

    private static SqlQuery sqlQuery(Node node) {
        if (node == null) {
            return null;
        }
        String connection = connection(node, "connection");
        String sql = node.requiredText("sql");
        readQuery(node, "sql", sql);
        node.rejectUnknownKeys();
        return new SqlQuery(connection, sql);
    }

    /**
     * A query field holds one read-only statement: SELECT or WITH, no semicolon to start a second one, no WITH
     * that writes, and no function that acts beyond reading ({@link SideEffectingSql}). Pre-flight asks the database too, which sees through comments this pattern does not.
     */
    static void readQuery(Node node, String key, String sql) {
        if (sql == null) {
            return;
        }
        Matcher writing = WRITING_WITH.matcher(sql);
        if (!READ_QUERY.matcher(sql).matches()) {
            node.error(node.child(key), "must be one SELECT (or WITH ... SELECT) statement");
        } else if (sql.strip().replaceAll(";$", "").contains(";")) {
            node.error(node.child(key), "must be a single statement; remove the ';'");
        } else if (writing.matches()) {
            String verb = writing.group(1).toUpperCase(Locale.ROOT);
            node.error(node.child(key), "must only read, but its WITH runs " + ("IU".indexOf(verb.charAt(0)) >= 0
                    ? "an " : "a ") + verb);
        } else {
            SideEffectingSql.find(sql).ifPresent(effect -> node.error(node.child(key), "must only read, but it "
                    + effect + ", which acts beyond reading even in a read-only transaction"));
        }
    }

    static List<String> keyColumns(Node body) {
        List<String> key = body.textList("key", true);
        if (body.isEmptyList("key")) {
            body.error(body.child("key"), "must name at least one column");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < key.size(); i++) {
            if (!Identifiers.isQuotableName(key.get(i))) {
                body.error(body.child("key") + "[" + i + "]", notAColumn(key.get(i)));
            } else if (!seen.add(key.get(i))) {
                body.error(body.child("key") + "[" + i + "]", "names '" + key.get(i) + "' twice");
            }
        }
        return key;
    }

    static TableRef table(Node node) {
        if (node == null) {
            return null;
        }
        String connection = connection(node, "connection");
        String table = tableName(node);
        node.rejectUnknownKeys();
        return new TableRef(connection, table);
    }

    /**
     * The table of a {@code {connection, schema, table}} mapping, as {@link Identifiers#qualifiedTable} writes it.
     * With {@code schema}, both are names exactly as the database spells them; without it, {@code table} is either
     * the shorthand {@code schema.table} of plain names or one name without a dot.
     */
    private static String tableName(Node node) {
        String schema = node.optionalText("schema", null);
        String table = node.requiredText("table");
        if (schema != null && !Identifiers.isQuotableName(schema)) {
            node.error(node.child("schema"), "'" + schema + "' is not a schema name (" + ANY_NAME + ")");
            return null;
        }
        if (table == null) {
            return null;
        }
        if (schema == null && Identifiers.isPlainTable(table)) {
            return table;
        }
        if (schema == null && table.contains(".")) {
            node.error(node.child("table"), "'" + table + "' is not a table name: schema.table takes letters, digits"
                    + " and _; give any other name as schema and table apart");
            return null;
        }
        if (!Identifiers.isQuotableName(table)) {
            node.error(node.child("table"), "'" + table + "' is not a table name (" + ANY_NAME + ")");
            return null;
        }
        return Identifiers.qualifiedTable(schema, table);
    }

    /**
     * {@code connection.table} or {@code connection.schema.table} of plain names, or the mapping
     * {@code {connection, schema, table}} for any name.
     */
    private static TableRef namedTable(Node node, String key) {
        JsonNode raw = node.raw(key);
        if (raw != null && raw.isObject()) {
            return table(node.object(key, true));
        }
        return dottedTable(node, key);
    }

    /** {@code connection.schema.table} or {@code connection.table}. */
    private static TableRef dottedTable(Node node, String key) {
        String text = node.requiredText(key);
        if (text == null) {
            return null;
        }
        int dot = text.indexOf('.');
        if (dot <= 0 || !Identifiers.isPlainTable(text.substring(dot + 1))) {
            node.error(node.child(key), "must be connection.table or connection.schema.table (letters, digits, _),"
                    + " or {connection, schema, table} for any other name, not '" + text + "'");
            return null;
        }
        String connection = text.substring(0, dot);
        node.checks().connection(node.child(key), connection);
        return new TableRef(connection, text.substring(dot + 1));
    }

    static String connection(Node node, String key) {
        String connection = node.requiredText(key);
        node.checks().connection(node.child(key), connection);
        return connection;
    }
}
