package org.runbooks.parse;

import com.fasterxml.jackson.databind.JsonNode;
import org.runbooks.model.TableRef;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The fields more than one kind of step reads: a connection, a table, a key, a read-only query. */
final class Fields {

    private static final Pattern READ_QUERY = Pattern.compile("(?is)\\s*(select|with)\\b.*");
    /**
     * A WITH query whose common table expression writes: {@code with d as (delete ... returning ...) select ...}
     * starts like a read and is one statement, yet deletes, updates or inserts when it runs.
     */
    private static final Pattern WRITING_WITH = Pattern.compile(
            "(?is).*\\bas\\s*(?:not\\s+)?(?:materialized\\s*)?\\(\\s*(insert|update|delete|merge)\\b.*");
    private static final String ANY_NAME = "1 to 63 bytes, no control characters";

    private Fields() {
    }

    /**
     * The error for a column name no database could hold. Any other name is taken as the database spells it, quoted
     * and escaped by the dialect wherever it is used: {@code Ship Date}, {@code Order"Id} and {@code order} too.
     */
    static String notAColumn(String name) {
        return "'" + name + "' is not a column name (" + ANY_NAME + ")";
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
    static String tableName(Node node) {
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
    static TableRef namedTable(Node node, String key) {
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
