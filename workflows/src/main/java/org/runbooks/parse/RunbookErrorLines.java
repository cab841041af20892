package org.runbooks.parse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lines a list of {@link RunbookError}s prints as, for an operator: an error whose message repeats (a runbook
 * naming a connection the worker lacks in 14 places) is one line, at its first place, with the count and the other
 * places' line:column, instead of 14 lines that say the same.
 */
public final class RunbookErrorLines {

    /** Other places listed on a collapsed line before the rest are only counted: 10. */
    static final int PLACES_LISTED = 10;

    private RunbookErrorLines() {
    }

    /** One line per distinct (file, message), in the order each first occurs. */
    public static List<String> of(List<RunbookError> errors) {
        Map<List<String>, List<RunbookError>> byMessage = new LinkedHashMap<>();
        for (RunbookError error : errors) {
            byMessage.computeIfAbsent(java.util.Arrays.asList(error.file(), error.message()), k -> new ArrayList<>())
                    .add(error);
        }
        List<String> lines = new ArrayList<>();
        for (List<RunbookError> same : byMessage.values()) {
            RunbookError first = same.getFirst();
            if (same.size() == 1) {
                lines.add(first.toString());
                continue;
            }
            List<String> places = same.subList(1, same.size()).stream().map(RunbookErrorLines::place).toList();
            String listed = String.join(", ", places.subList(0, Math.min(PLACES_LISTED, places.size())))
                    + (places.size() > PLACES_LISTED ? ", and " + (places.size() - PLACES_LISTED) + " more" : "");
            lines.add(first + " (" + same.size() + " times; also at " + listed + ")");
        }
        return lines;
    }

    private static String place(RunbookError error) {
        return error.line() > 0 ? error.line() + ":" + error.column() : error.path();
    }
}
