package org.runbooks.parse;

import java.util.regex.Pattern;

/**
 * Which schema, table and column names a runbook may use. Anything outside this set is refused at parse time, so
 * that dialects only ever quote names that cannot break out of their quotes.
 */
public final class Identifiers {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private Identifiers() {
    }

    public static boolean isSafeName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** A table name is {@code name} or {@code schema.name}, each part a safe name. */
    public static boolean isSafeTable(String table) {
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
}
