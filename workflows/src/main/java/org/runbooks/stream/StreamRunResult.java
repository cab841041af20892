package org.runbooks.stream;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How {@link StreamActivities#runStream} ended.
 *
 * @param changesApplied  changes applied in all (every attempt, every worker), from the applied position's row
 * @param appliedPosition the source position the target has applied up to
 * @param stoppedBecause  why it returned: {@code stop requested}
 */
public record StreamRunResult(@JsonProperty("changesApplied") long changesApplied,
                              @JsonProperty("appliedPosition") String appliedPosition,
                              @JsonProperty("stoppedBecause") String stoppedBecause) {
}
