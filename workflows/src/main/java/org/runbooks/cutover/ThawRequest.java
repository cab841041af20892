package org.runbooks.cutover;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Lift the freeze {@code freezeId} on {@code connection} (see {@link CutoverActivities#thawWrites}).
 *
 * @param freezeId   the {@link FreezeRequest#freezeId()} of the freeze
 * @param connection a connection name the worker resolves
 */
public record ThawRequest(@JsonProperty("freezeId") String freezeId,
                          @JsonProperty("connection") String connection) {
}
