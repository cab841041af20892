package org.runbooks.stream;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Wait until {@code spec}'s target has applied everything up to {@code position} (see
 * {@link StreamActivities#awaitApplied}).
 *
 * @param spec          the stream
 * @param position      a {@link SourcePosition#position()} taken for this stream
 * @param timeoutMillis how long to wait before reporting that the stream has not caught up; at least 1
 */
public record AwaitApplied(@JsonProperty("spec") StreamSpec spec,
                           @JsonProperty("position") String position,
                           @JsonProperty("timeoutMillis") long timeoutMillis) {
}
