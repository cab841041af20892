package org.runbooks.stream;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A position in the source's change stream, as {@link StreamActivities#sourcePosition} marked it: everything the
 * source committed before the call lies before it. Compared with the stream's applied position by
 * {@link StreamActivities#awaitApplied}.
 *
 * @param streamId  the stream it was taken for
 * @param position  a PostgreSQL LSN ({@code 0/16B3748}) or a MariaDB binlog position ({@code mariadb-bin.000001:1234})
 * @param takenAtMillis when it was taken, the worker's clock, epoch ms (for the report)
 */
public record SourcePosition(@JsonProperty("streamId") String streamId,
                             @JsonProperty("position") String position,
                             @JsonProperty("takenAtMillis") long takenAtMillis) {
}
