package org.runbooks.parse;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * A mapping in the runbook tree together with its field path. Reading a field marks it as known, so that
 * {@link #rejectUnknownKeys()} can name every key the language does not have. Errors are collected, never thrown.
 */
final class Node {

    private final JsonNode json;
    private final String path;
    private final Checks checks;
    private final Set<String> read = new HashSet<>();

    Node(JsonNode json, String path, Checks checks) {
        this.json = json;
        this.path = path;
        this.checks = checks;
    }

    Checks checks() {
        return checks;
    }

    String path() {
        return path;
    }

    String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    void error(String fieldPath, String message) {
        checks.error(fieldPath, message);
    }

    /** True when the key is written with a value; an explicit null counts as left out. */
    boolean has(String key) {
        return json.hasNonNull(key);
    }

    /** The value as written (null when absent), for an option that takes more than one shape; marks it as known. */
    JsonNode raw(String key) {
        read.add(key);
        return json.get(key);
    }

    /** Marks a key as known without reading it, when another error already covers it. */
    void skip(String key) {
        read.add(key);
    }

    /** True only for a list written with no items, so a value of the wrong type is not also reported as empty. */
    boolean isEmptyList(String key) {
        JsonNode value = json.get(key);
        return value != null && value.isArray() && value.isEmpty();
    }

    String requiredText(String key) {
        String value = optionalText(key, null);
        JsonNode raw = json.get(key);
        if (raw == null || raw.isNull() || (raw.isTextual() && raw.asText().isBlank())) {
            error(child(key), "is required");
            return null;
        }
        return value;
    }

    String optionalText(String key, String fallback) {
        read.add(key);
        JsonNode value = json.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isTextual()) {
            error(child(key), "must be a string, not " + describe(value));
            return fallback;
        }
        return value.asText();
    }

    int optionalInt(String key, int fallback) {
        return (int) integral(key, fallback, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** A number, whole or not; null when absent. */
    Double optionalNumber(String key) {
        read.add(key);
        JsonNode value = json.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            error(child(key), "must be a number, not " + describe(value));
            return null;
        }
        return value.doubleValue();
    }

    long optionalLong(String key, long fallback) {
        return integral(key, fallback, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** A whole number between {@code min} and {@code max}; the fallback when absent or wrong. */
    private long integral(String key, long fallback, long min, long max) {
        read.add(key);
        JsonNode value = json.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber()) {
            error(child(key), "must be a whole number, not " + describe(value));
            return fallback;
        }
        BigInteger number = value.bigIntegerValue();
        if (number.compareTo(BigInteger.valueOf(min)) < 0 || number.compareTo(BigInteger.valueOf(max)) > 0) {
            error(child(key), "must be between " + min + " and " + max + ", not " + value);
            return fallback;
        }
        return number.longValue();
    }

    /** A mapping of text to text, in file order; empty when absent. */
    LinkedHashMap<String, String> textMap(String key) {
        read.add(key);
        JsonNode value = json.get(key);
        LinkedHashMap<String, String> result = new LinkedHashMap<>();
        if (value == null || value.isNull()) {
            return result;
        }
        if (!value.isObject()) {
            error(child(key), "must be a mapping, not " + describe(value));
            return result;
        }
        value.fields().forEachRemaining(field -> {
            if (!field.getValue().isTextual()) {
                error(child(key) + "." + field.getKey(), "must be a string, not " + describe(field.getValue()));
            } else {
                result.put(field.getKey(), field.getValue().asText());
            }
        });
        return result;
    }

    boolean optionalBoolean(String key, boolean fallback) {
        read.add(key);
        JsonNode value = json.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            error(child(key), "must be true or false, not " + describe(value));
            return fallback;
        }
        return value.booleanValue();
    }

    /** An ISO-8601 duration such as {@code PT30M} or {@code P3D}; must be positive. */
    Duration optionalDuration(String key) {
        String text = optionalText(key, null);
        if (text == null) {
            return null;
        }
        if (text.contains("-")) {
            error(child(key), "must be a positive duration without signs, such as PT30M, not '" + text + "'");
            return null;
        }
        try {
            Duration duration = Duration.parse(text);
            if (duration.isNegative() || duration.isZero()) {
                error(child(key), "must be a positive duration, not " + text);
                return null;
            }
            return duration;
        } catch (DateTimeParseException e) {
            error(child(key), "must be an ISO-8601 duration such as PT30M or P3D, not '" + text + "'");
            return null;
        }
    }

    List<String> textList(String key, boolean required) {
        read.add(key);
        JsonNode value = json.get(key);
        List<String> result = new ArrayList<>();
        if (value == null || value.isNull()) {
            if (required) {
                error(child(key), "is required");
            }
            return result;
        }
        if (!value.isArray()) {
            error(child(key), "must be a list, not " + describe(value));
            return result;
        }
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isTextual()) {
                error(child(key) + "[" + i + "]", "must be a string, not " + describe(item));
            } else {
                result.add(item.asText());
            }
        }
        return result;
    }

    /** A nested mapping, or null (with an error) when it is missing or not a mapping. */
    Node object(String key, boolean required) {
        read.add(key);
        JsonNode value = json.get(key);
        if (value == null || value.isNull()) {
            if (required) {
                error(child(key), "is required");
            }
            return null;
        }
        if (!value.isObject()) {
            error(child(key), "must be a mapping, not " + describe(value));
            return null;
        }
        return new Node(value, child(key), checks);
    }

    /** The items of a required, non-empty list of mappings; each item's path is {@code key[i]}. */
    List<Node> objects(String key) {
        return objects(key, true);
    }

    /** The items of a list of mappings; an optional list may be absent, but not empty. */
    List<Node> objects(String key, boolean required) {
        read.add(key);
        JsonNode value = json.get(key);
        List<Node> result = new ArrayList<>();
        if (value == null || value.isNull()) {
            if (required) {
                error(child(key), "is required");
            }
            return result;
        }
        if (!value.isArray()) {
            error(child(key), "must be a list, not " + describe(value));
            return result;
        }
        if (value.isEmpty()) {
            error(child(key), "must not be empty");
        }
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String itemPath = child(key) + "[" + i + "]";
            if (!item.isObject()) {
                error(itemPath, "must be a mapping, not " + describe(item));
            } else {
                result.add(new Node(item, itemPath, checks));
            }
        }
        return result;
    }

    void rejectUnknownKeys() {
        Iterator<String> names = json.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!read.contains(name)) {
                error(child(name), "unknown key");
            }
        }
    }

    static String describe(JsonNode value) {
        if (value.isTextual()) {
            return "the string '" + value.asText() + "'";
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isObject()) {
            return "a mapping";
        }
        return value.getNodeType().name().toLowerCase() + " " + value;
    }
}
