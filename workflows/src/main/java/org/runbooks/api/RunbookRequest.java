package org.runbooks.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The input of a runbook workflow, as an operator passes it to {@code temporal workflow start --input}:
 * which runbook file to run (as {@code plan} names it: relative to the worker's working directory, inside its
 * runbooks directory) and, optionally, who starts it.
 *
 * @param startSignature    the starter's OpenSSH signature of {@code runbook-start/v1 workflow=<id> file=<file>
 *                          sha256=<the file's digest>} (the runbook's two-person gates need it once signatures are
 *                          in force); null when the start is not signed
 * @param historyLimit      events one run's history may hold before the runbook continues as new at the next phase
 *                          boundary; null means {@code HistoryBound.DEFAULT_EVENTS}. Tests set a small value.
 * @param phaseHistoryLimit (optional, for tests) makes each phase continue as new after that many history events
 *                          instead of {@link PhaseRequest#DEFAULT_HISTORY_LIMIT}.
 * @param carryOver         internal, set by the runbook itself when it continues as new: where it stands. Null at
 *                          start; operators leave it out.
 * @param unknownFields     any other field of the input (a typo such as {@code "path"}), and a known one whose value
 *                          has the wrong JSON type ({@code "file": 5}), kept rather than refused by the data converter
 *                          ({@link RunbookRequestReader}): a converter error fails each workflow task, forever, before
 *                          workflow code runs, while the runbook can fail itself with {@link #unknownFieldsRefusal()}.
 */
@JsonDeserialize(using = RunbookRequestReader.class)
public record RunbookRequest(String file, String startedBy, String startSignature, Integer historyLimit,
                             Integer phaseHistoryLimit, RunbookCarryOver carryOver,
                             @JsonAnySetter @JsonAnyGetter Map<String, Object> unknownFields) {

    /** Failure type, non-retryable: the start input is not a runbook request. */
    public static final String INVALID_REQUEST = "InvalidRequest";
    /** Version of the runbook that fails at once on an input with unknown fields. */
    public static final String UNKNOWN_FIELDS_CHANGE = "refuse-unknown-input";

    public RunbookRequest {
        unknownFields = unknownFields == null || unknownFields.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(unknownFields));
    }

    public RunbookRequest(String file, String startedBy, Integer historyLimit, Integer phaseHistoryLimit,
                          RunbookCarryOver carryOver) {
        this(file, startedBy, null, historyLimit, phaseHistoryLimit, carryOver, null);
    }

    /** A start signed by its starter. */
    public RunbookRequest(String file, String startedBy, String startSignature) {
        this(file, startedBy, startSignature, null, null, null, null);
    }

    public RunbookRequest(String file, String startedBy) {
        this(file, startedBy, null, null, null);
    }

    /** A request whose phases continue as new after {@code phaseHistoryLimit} events (tests). */
    public RunbookRequest(String file, String startedBy, Integer phaseHistoryLimit) {
        this(file, startedBy, null, phaseHistoryLimit, null);
    }

    /** A request whose runbook continues as new after {@code historyLimit} events (tests), or carrying a run's state. */
    public RunbookRequest(String file, String startedBy, Integer historyLimit, RunbookCarryOver carryOver) {
        this(file, startedBy, historyLimit, null, carryOver);
    }

    /**
     * One line naming the fields the input should not have, or not with that type, and the ones it may; null when it
     * has none.
     */
    public String unknownFieldsRefusal() {
        if (unknownFields.isEmpty()) {
            return null;
        }
        String takes = "it takes file (required), startedBy, startSignature, historyLimit, phaseHistoryLimit:"
                + " {\"file\": \"runbooks/<name>.yaml\", \"startedBy\": \"<who>\"}";
        if (unknownFields.containsKey(RunbookRequestReader.WHOLE_INPUT)) {
            return "the start input must be a JSON object, not "
                    + RunbookRequestReader.jsonType(unknownFields.get(RunbookRequestReader.WHOLE_INPUT)) + "; " + takes;
        }
        java.util.List<String> problems = new java.util.ArrayList<>();
        java.util.List<String> unknown = unknownFields.keySet().stream().filter(name -> expectedType(name) == null)
                .map(name -> "'" + name + "'").toList();
        if (!unknown.isEmpty()) {
            problems.add("the start input has unknown field" + (unknown.size() == 1 ? " " : "s ") + String.join(", ", unknown));
        }
        unknownFields.forEach((name, value) -> {
            if (expectedType(name) != null) {
                problems.add("the start input's field '" + name + "' must be " + expectedType(name) + ", not "
                        + RunbookRequestReader.jsonType(value));
            }
        });
        return String.join("; ", problems) + "; " + takes;
    }

    /** The JSON type a known field takes, or null for a name the request does not know. */
    private static String expectedType(String name) {
        return switch (name) {
            case "file", "startedBy", "startSignature" -> "a string";
            case "historyLimit", "phaseHistoryLimit" -> "a whole number";
            case "carryOver" -> "the runbook's own carry-over (operators leave it out)";
            default -> null;
        };
    }

    /** The same request for the next run of the runbook, carrying where this run stopped. */
    public RunbookRequest continued(RunbookCarryOver state) {
        return new RunbookRequest(file, startedBy, startSignature, historyLimit, phaseHistoryLimit, state, null);
    }
}
