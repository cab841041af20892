package org.runbooks.parse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which schema, table and column names a runbook may use, and how a table's schema and name travel as one text.
 *
 * <p>A <em>plain</em> name is letters, digits and {@code _}, not starting with a digit; the shorthands
 * ({@code table: schema.name}, {@code legacy.schema.name}) take only plain names. A column, and a schema or table
 * named in the structured form ({@code {connection, schema, table}}), may be any name the databases allow
 * ({@link #isQuotableName}): 1 to 63 bytes of UTF-8 (PostgreSQL's limit, past which it silently truncates) and no
 * control character. No name ever reaches a statement unquoted: dialects quote every name and escape the quote
 * character inside it.
 *
 * <p>A table travels (in {@code TableRef.table}, requests and history) as its qualified text: each part plain as
 * it is, any other part in double quotes with a double quote doubled, as SQL writes it, and a dot between schema
 * and name: {@code orders}, {@code app.orders}, {@code Sales."Order Lines"}. The text of plain names is what it
 * always was, so runbooks and histories from before keep their meaning.
 */
public final class Identifiers {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final int MAX_BYTES = 63;

    private Identifiers() {
    }

    /** A plain name: letters, digits and {@code _}, not starting with a digit, at most 63 characters. */
    public static boolean isSafeName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Any name a dialect can quote: 1 to 63 bytes of UTF-8, no control character (so no NUL, no line break). */
    public static boolean isQuotableName(String name) {
        return name != null && !name.isEmpty() && name.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES
                && name.codePoints().noneMatch(Character::isISOControl);
    }

    /** A table's qualified text is {@code name} or {@code schema.name} as {@link #tableParts} reads it. */
    public static boolean isSafeTable(String table) {
        return tableParts(table) != null;
    }

    /** A shorthand table, {@code name} or {@code schema.name}, each part a plain name. */
    public static boolean isPlainTable(String table) {
        if (table == null) {
            return false;
        }
        String[] parts = table.split("\\.", -1);
        if (parts.length > 2) {
            return false;
        }
        for (String part : parts) {
            if (!isSafeName(part)) {
                return false;
            }
        }
        return true;
    }

    /** The qualified text of {@code name} in {@code schema} (null: the connection's default schema). */
    public static String qualifiedTable(String schema, String name) {
        return schema == null ? part(name) : part(schema) + "." + part(name);
    }

    /**
     * The schema (when given) and the name of a table's qualified text, each as the database spells it; null when
     * the text is not one or two parts, each plain or quoted, or when a part is not a {@link #isQuotableName}.
     */
    public static List<String> tableParts(String table) {
        if (table == null) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        int at = 0;
        while (true) {
            StringBuilder part = new StringBuilder();
            if (at < table.length() && table.charAt(at) == '"') {
                at++;
                while (true) {
                    int quote = table.indexOf('"', at);
                    if (quote < 0) {
                        return null;
                    }
                    part.append(table, at, quote);
                    at = quote + 1;
                    if (at < table.length() && table.charAt(at) == '"') {
                        part.append('"');
                        at++;
                    } else {
                        break;
                    }
                }
                if (!isQuotableName(part.toString())) {
                    return null;
                }
            } else {
                int dot = table.indexOf('.', at);
                part.append(table, at, dot < 0 ? table.length() : dot);
                at += part.length();
                if (!isSafeName(part.toString())) {
                    return null;
                }
            }
            parts.add(part.toString());
            if (at == table.length()) {
                break;
            }
            if (table.charAt(at) != '.' || parts.size() == 2) {
                return null;
            }
            at++;
        }
        return List.copyOf(parts);
    }

    private static String part(String name) {
        return isSafeName(name) ? name : "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
