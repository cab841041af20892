package org.runbooks.stream;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Change capture: keeps a target table in step with a live source table, from a start position fixed before the
 * backfill reads its first chunk until the runbook stops it. The capture side is Debezium's embedded engine; the
 * apply side writes through the backfill's dialects. Each method is idempotent by {@link StreamSpec#streamId()}
 * (run id + step id), which names the slot, the publication and the applied position. Activity names are explicit,
 * so moving or renaming this interface changes nothing in history.
 *
 * <p>The order a workflow runs them in: {@link #startStream} before the backfill (its compensation is
 * {@link #dropStream}, registered before the call), then the backfill, then {@link #runStream} as a long-running,
 * heartbeating activity until {@link #stopStream} or a cancel; {@link #streamLag} for gates and status at any time.
 */
@ActivityInterface
public interface StreamActivities {

    /**
     * Fixes the start position: checks what the stream needs (see the pre-flight checks), then on PostgreSQL creates
     * the publication and the logical replication slot (pgoutput), on MariaDB creates the shared position marker
     * table {@code runbook_stream_markers} if missing (see {@link #sourcePosition}) and reads the binlog's position,
     * and records that position as the stream's applied position in the target's {@code runbook_stream_positions}.
     * Everything committed on the source after it reaches the target once {@link #runStream} runs. Called again, it
     * returns what the first call fixed and creates nothing. Bad input or a source that cannot stream fails
     * non-retryably ({@code StreamNotPossible}) before any side effect.
     */
    @ActivityMethod(name = "StreamStart")
    StreamStarted startStream(StreamSpec spec);

    /**
     * Applies every change committed on the source since the applied position, in source commit order, until
     * {@link #stopStream} asks it to stop (then it returns) or the activity is cancelled. Each batch's rows and the
     * position after it commit in one target transaction; the source is acknowledged only after that commit, so a
     * worker killed at any moment resumes, on any worker, from the last committed position with nothing lost or
     * applied twice. Heartbeats carry a {@link StreamLag}. A schema change on the streamed table fails it
     * non-retryably ({@code StreamSchemaChanged}).
     */
    @ActivityMethod(name = "StreamRun")
    StreamRunResult runStream(StreamSpec spec);

    /**
     * Asks the running {@link #runStream} to stop after its current batch (it returns within a few seconds), and
     * returns the lag at that moment. The slot and the applied position stay: {@link #runStream} can resume.
     */
    @ActivityMethod(name = "StreamStop")
    StreamLag stopStream(StreamSpec spec);

    /**
     * Compensation for {@link #startStream}: drops the replication slot and the publication the stream created
     * (never one it found), and forgets the applied position. Says what it dropped; dropping twice drops nothing
     * the second time. Call it after {@link #runStream} has ended: an active slot cannot be dropped.
     */
    @ActivityMethod(name = "StreamDrop")
    StreamDropped dropStream(StreamSpec spec);

    /** The stream's lag now: seconds and bytes behind the source, and the changes applied so far. Read-only. */
    @ActivityMethod(name = "StreamLag")
    StreamLag streamLag(StreamSpec spec);

    /**
     * Marks the source's current position in the stream and returns it: everything the source committed before this
     * call lies before the position, so taken right after a freeze it is the point the target must reach before the
     * switch. On PostgreSQL it writes a transactional logical-decoding message ({@code pg_logical_emit_message},
     * prefix {@code runbooks.position}) and returns its LSN: the stream receives the message after every transaction
     * committed before it, and its applied position passes the LSN once it has applied them all, even while the
     * streamed table is quiet (which a bare {@code pg_current_wal_lsn()} could not tell). Nothing else is written.
     * On MariaDB it reads the binlog position, then writes a marker row (the stream id and the time) to the source's
     * {@code runbook_stream_markers}, which the stream captures and never applies: the applied offset passes the
     * position once the marker's transaction, and so everything committed before it, has been applied.
     */
    @ActivityMethod(name = "StreamSourcePosition")
    SourcePosition sourcePosition(StreamSpec spec);

    /**
     * Waits, heartbeating, until the stream has applied everything up to {@link AwaitApplied#position()} (compared
     * with the applied position kept in the target, so any worker may run it while another runs the stream), or
     * until the timeout passes; then answers with the lag. Read-only.
     */
    @ActivityMethod(name = "StreamAwaitApplied")
    AppliedWait awaitApplied(AwaitApplied request);
}
