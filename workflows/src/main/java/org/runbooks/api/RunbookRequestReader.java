package org.runbooks.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a start input into a {@link RunbookRequest} without ever failing: a field it does not know, or a known one
 * whose JSON value has the wrong type ({@code {"file": 5}}, {@code {"historyLimit": "many"}}), is kept in
 * {@link RunbookRequest#unknownFields()} for the runbook to refuse in one line. A data converter error would instead
 * fail every workflow task, forever, before workflow code runs.
 */
final class RunbookRequestReader extends StdDeserializer<RunbookRequest> {

    /** The key under which an input that is not a JSON object is kept, whole. */
    static final String WHOLE_INPUT = "";

    RunbookRequestReader() {
        super(RunbookRequest.class);
    }

    @Override
    public RunbookRequest deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        JsonNode input = context.readTree(parser);
        Map<String, Object> refused = new LinkedHashMap<>();
        if (!input.isObject()) {
            refused.put(WHOLE_INPUT, input);
            return new RunbookRequest(null, null, null, null, null, null, refused);
        }
        String file = null;
        String startedBy = null;
        String startSignature = null;
        Integer historyLimit = null;
        Integer phaseHistoryLimit = null;
        RunbookCarryOver carryOver = null;
        for (var field : input.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                continue;
            }
            switch (name) {
                case "file" -> file = text(value, name, refused);
                case "startedBy" -> startedBy = text(value, name, refused);
                case "startSignature" -> startSignature = text(value, name, refused);
                case "historyLimit" -> historyLimit = wholeNumber(value, name, refused);
                case "phaseHistoryLimit" -> phaseHistoryLimit = wholeNumber(value, name, refused);
                case "carryOver" -> carryOver = carryOver(value, context, refused);
                default -> refused.put(name, value);
            }
        }
        return new RunbookRequest(file, startedBy, startSignature, historyLimit, phaseHistoryLimit, carryOver, refused);
    }

    private static String text(JsonNode value, String name, Map<String, Object> refused) {
        if (value.isTextual()) {
            return value.asText();
        }
        refused.put(name, value);
        return null;
    }

    private static Integer wholeNumber(JsonNode value, String name, Map<String, Object> refused) {
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return value.intValue();
        }
        refused.put(name, value);
        return null;
    }

    private static RunbookCarryOver carryOver(JsonNode value, DeserializationContext context,
                                              Map<String, Object> refused) {
        try {
            return context.readTreeAsValue(value, RunbookCarryOver.class);
        } catch (IOException e) {
            refused.put("carryOver", value);
            return null;
        }
    }

    /** What a refused field's value is, for the refusal: "a number", "an array". */
    static String jsonType(Object value) {
        if (!(value instanceof JsonNode node)) {
            return "a " + (value == null ? "null" : value.getClass().getSimpleName().toLowerCase());
        }
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> !node.isIntegralNumber() ? "a decimal number"
                    : node.canConvertToInt() ? "a number" : "a number out of range";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            default -> "null";
        };
    }
}
