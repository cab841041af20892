package org.runbooks.stream;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How far a stream's target is behind its source: the heartbeat details of {@link StreamActivities#runStream}, and
 * what {@link StreamActivities#streamLag} answers. Gates compare {@link #lagSeconds}.
 *
 * @param lagSeconds       seconds behind: now less the source commit time of the last applied change, 0 when the
 *                         stream has applied everything the source committed (known from the source's heartbeats,
 *                         so a stalled stream's lag keeps growing); -1 while nothing says yet
 * @param bytesBehind      source WAL or binlog bytes between the source's current position and the applied one;
 *                         -1 when unknown (a MariaDB position in another binlog file)
 * @param retainedBytes    PostgreSQL: WAL bytes the slot keeps on the source's disk; -1 on MariaDB
 * @param changesApplied   changes applied in all
 * @param appliedPosition  the source position the target has applied up to
 * @param sourcePosition   the source's current position
 * @param appliedCommitMillis source commit time of the last applied change, epoch milliseconds; 0 for none yet
 * @param running          whether a {@link StreamActivities#runStream} has applied or heard from the source within
 *                         the last 30 s
 */
public record StreamLag(@JsonProperty("lagSeconds") double lagSeconds,
                        @JsonProperty("bytesBehind") long bytesBehind,
                        @JsonProperty("retainedBytes") long retainedBytes,
                        @JsonProperty("changesApplied") long changesApplied,
                        @JsonProperty("appliedPosition") String appliedPosition,
                        @JsonProperty("sourcePosition") String sourcePosition,
                        @JsonProperty("appliedCommitMillis") long appliedCommitMillis,
                        @JsonProperty("running") boolean running) {
}
