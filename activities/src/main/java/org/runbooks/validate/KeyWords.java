package org.runbooks.validate;

import org.runbooks.api.KeyDifferences;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Keys as a verdict names them: {@code id=250}, or {@code (tenant_id=3, id=250)} for a composite key, a few per
 * kind of difference; the report carries every listed key.
 */
final class KeyWords {

    /** Keys a verdict names per kind of difference before it says how many more: 5. */
    static final int KEYS_PER_KIND = 5;

    private KeyWords() {
    }

    /** {@code 1 key missing from the target (id=250); 1 extra key in the target (id=501); 1 changed row (id=7)}. */
    static String differences(List<String> columns, KeyDifferences found) {
        List<String> parts = new ArrayList<>();
        part(parts, columns, found.missing(), "key missing from the target", "keys missing from the target");
        part(parts, columns, found.extra(), "extra key in the target", "extra keys in the target");
        part(parts, columns, found.changed(), "changed row", "changed rows");
        if (found.truncated()) {
            parts.add("more differences not listed (a report lists " + found.listed() + ")");
        }
        return String.join("; ", parts);
    }

    private static void part(List<String> parts, List<String> columns, List<List<String>> keys, String one,
                             String many) {
        if (keys.isEmpty()) {
            return;
        }
        String named = keys.stream().limit(KEYS_PER_KIND).map(key -> key(columns, key)).collect(Collectors.joining(", "));
        String more = keys.size() > KEYS_PER_KIND ? ", and " + (keys.size() - KEYS_PER_KIND) + " more" : "";
        parts.add(keys.size() + " " + (keys.size() == 1 ? one : many) + " (" + named + more + ")");
    }

    static String key(List<String> columns, List<String> values) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            pairs.add(columns.get(i) + "=" + values.get(i));
        }
        return pairs.size() == 1 ? pairs.get(0) : "(" + String.join(", ", pairs) + ")";
    }
}
