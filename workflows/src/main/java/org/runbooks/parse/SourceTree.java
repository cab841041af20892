package org.runbooks.parse;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A runbook document read token by token into a tree, remembering where each field path starts in the file, so that
 * an error about {@code phases[1].steps[0].gate.quorum} can say {@code line 14, column 9}.
 */
final class SourceTree {

    private final JsonNode root;
    private final Map<String, int[]> positions;

    private SourceTree(JsonNode root, Map<String, int[]> positions) {
        this.root = root;
        this.positions = positions;
    }

    static SourceTree read(JsonParser parser) throws IOException {
        Map<String, int[]> positions = new HashMap<>();
        JsonToken first = parser.nextToken();
        if (first == null) {
            return new SourceTree(null, positions);
        }
        JsonNode root = value(parser, "", positions);
        if (parser.nextToken() != null) {
            throw new com.fasterxml.jackson.core.JsonParseException(parser, "more than one document in the file");
        }
        return new SourceTree(root, positions);
    }

    JsonNode root() {
        return root;
    }

    /** The position of {@code path}, or of its nearest ancestor that is in the file; {0, 0} when none is. */
    int[] position(String path) {
        String current = path;
        while (true) {
            int[] found = positions.get(current);
            if (found != null) {
                return found;
            }
            if (current.isEmpty()) {
                return new int[] {0, 0};
            }
            current = parent(current);
        }
    }

    private static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }

    private static JsonNode value(JsonParser parser, String path, Map<String, int[]> positions) throws IOException {
        positions.putIfAbsent(path, where(parser.currentTokenLocation()));
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (parser.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    String child = path.isEmpty() ? name : path + "." + name;
                    positions.put(child, where(parser.currentTokenLocation()));
                    parser.nextToken();
                    object.set(name, value(parser, child, positions));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                int i = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(parser, path + "[" + i++ + "]", positions));
                }
                yield array;
            }
            case VALUE_STRING -> nodes.textNode(parser.getText());
            case VALUE_NUMBER_INT -> nodes.numberNode(parser.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT -> nodes.numberNode(parser.getDecimalValue());
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_NULL -> nodes.nullNode();
            default -> throw new com.fasterxml.jackson.core.JsonParseException(parser,
                    "unexpected " + parser.currentToken());
        };
    }

    private static int[] where(JsonLocation location) {
        return new int[] {location.getLineNr(), location.getColumnNr()};
    }
}
