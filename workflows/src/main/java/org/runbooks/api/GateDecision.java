package org.runbooks.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The payload of the {@code approve} and {@code reject} signals and updates: which gate, who decides, why, and on a
 * signed gate the OpenSSH signature of the gate's statement (armored, or its base64 body on one line).
 */
public record GateDecision(String gate, String by, String comment, String signature) {

    /** An unsigned decision. */
    public GateDecision(String gate, String by, String comment) {
        this(gate, by, comment, null);
    }

    /**
     * Reads whatever JSON a decision arrives as. A payload that is not a decision (a bare string, a number, a list,
     * a field of the wrong type) still reaches the workflow, which refuses it and records it in the audit trail with
     * what was sent; the SDK would otherwise drop a signal it cannot read, and nothing would show it was tried.
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static GateDecision read(JsonNode json) {
        if (json == null || json.isNull()) {
            return null;
        }
        if (!json.isObject()) {
            return new GateDecision(null, null, "unreadable decision: " + json);
        }
        return new GateDecision(text(json.get("gate")), text(json.get("by")), text(json.get("comment")),
                text(json.get("signature")));
    }

    private static String text(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }
}
