package org.runbooks.stream;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * What {@link StreamActivities#dropStream} dropped, for the report: {@code replication slot x},
 * {@code publication y}, {@code applied position of <streamId>}. Empty when there was nothing left to drop.
 */
public record StreamDropped(@JsonProperty("dropped") List<String> dropped) {

    /** One line for the report: {@code dropped replication slot x, publication y} or {@code nothing to drop}. */
    public String summary() {
        return dropped.isEmpty() ? "nothing to drop" : "dropped " + String.join(", ", dropped);
    }
}
