package org.runbooks.cutover;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * What {@link CutoverActivities#thawWrites} removed: exactly what the freeze had installed
 * ({@code trigger x on orders}, {@code function y}); empty when nothing of it was left.
 */
public record WritesThawed(@JsonProperty("freezeId") String freezeId,
                           @JsonProperty("removed") List<String> removed) {

    public WritesThawed {
        removed = removed == null ? List.of() : List.copyOf(removed);
    }

    /** One line for the report: {@code removed trigger x on orders, function y} or {@code nothing to remove}. */
    public String summary() {
        return removed.isEmpty() ? "nothing to remove" : "removed " + String.join(", ", removed);
    }
}
