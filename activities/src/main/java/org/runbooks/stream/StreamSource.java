package org.runbooks.stream;

import org.runbooks.jdbc.connect.ConnectionSettings;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;

/**
 * What differs between the databases a stream captures from: how the start position is fixed, how Debezium's
 * connector is configured, what is dropped afterwards, and how far the source has moved on. One implementation per
 * database, in its own package ({@code pg}, {@code mariadb}).
 */
public interface StreamSource {

    /** {@code postgres} or {@code mariadb}: the {@link StreamStarted#source()} it reports. */
    String kind();

    /**
     * Checks everything the stream needs on the source before anything is created, and throws
     * {@link StreamNotPossibleException} with what to change when something is missing; returns warnings.
     */
    List<String> preflight(Connection source, org.runbooks.stream.StreamSpec spec) throws SQLException;

    /**
     * Fixes the start position (creates the slot and publication, or reads the binlog position); idempotent by
     * {@code names}: a slot that exists already is used as it is and reported as not created.
     */
    Start start(Connection source, org.runbooks.stream.StreamSpec spec, StreamNames names) throws SQLException;

    /** What {@link #start} fixed: the started record, and Debezium's partition and offset for that position. */
    record Start(StreamStarted started, String partitionJson, String offsetJson) {
    }

    /** The engine's connector configuration, without the properties every stream shares. */
    Properties connector(ConnectionSettings source, org.runbooks.stream.StreamSpec spec, StreamNames names);

    /**
     * Drops what {@link #start} created (never what it found), reading {@code createdSlot} and
     * {@code createdPublication} from the position's start record; returns what it dropped.
     */
    List<String> drop(Connection source, StreamNames names, boolean createdSlot, boolean createdPublication)
            throws SQLException;

    /**
     * How often, at most, the engine hears from a quiet source (a Debezium heartbeat record), in ms: a stream counts
     * as caught up for three of these after a batch that ended on a heartbeat (see {@code StreamActivitiesImpl#lag}).
     * 1 s by default, Debezium's {@code heartbeat.interval.ms}, which a source with its own changes to read meets.
     */
    default long quietHeartbeatMillis() {
        return 1000;
    }

    /** Where the source can resume from; see {@link ResumePoints}. */
    ResumePoints resumePoints();

    /**
     * Which change events the source can resume right after, and with what offset. Debezium's offset of a change is
     * where it would restart if that change were the last one processed; on PostgreSQL that holds for every change.
     * On a MariaDB binlog (read by the MySQL connector, which does not see MariaDB's transaction starts) the offset
     * of a row is the position of its rows event and the rows of it to skip, and a restart there skips one row
     * too many; restarting from the event's position with no rows to skip resumes right after the whole event. So
     * only the last row of an event is a resume point there, with its row count cleared.
     */
    interface ResumePoints {

        /** Whether the source can resume right after {@code change}, given the record after it (null: none yet). */
        boolean completes(org.apache.kafka.connect.source.SourceRecord change,
                          org.apache.kafka.connect.source.SourceRecord next);

        /** The offset to resume right after {@code change}. */
        java.util.Map<String, ?> offset(org.apache.kafka.connect.source.SourceRecord change);

        /** Every change is a resume point, with its own offset. */
        ResumePoints EVERY_CHANGE = new ResumePoints() {
            @Override
            public boolean completes(org.apache.kafka.connect.source.SourceRecord change,
                                     org.apache.kafka.connect.source.SourceRecord next) {
                return true;
            }

            @Override
            public java.util.Map<String, ?> offset(org.apache.kafka.connect.source.SourceRecord change) {
                return change.sourceOffset();
            }
        };
    }

    /**
     * Marks the source's current position in the change stream and returns it as text: everything the source
     * committed before the call lies before it, and the stream receives something at or past it even while the
     * streamed table is quiet (see {@link StreamActivities#sourcePosition}).
     */
    String markPosition(Connection source, org.runbooks.stream.StreamSpec spec) throws SQLException;

    /**
     * Whether the applied offset {@code offsetJson} has passed {@code position} (one {@link #markPosition} returned):
     * then every change the source committed before the position has been applied.
     */
    boolean reached(String offsetJson, String position);

    /** The source's current position, and how far {@code offsetJson} is behind it. */
    Distance distance(Connection source, StreamNames names, String offsetJson) throws SQLException;

    /**
     * @param sourcePosition the source's current position, as text
     * @param appliedPosition the applied offset's position, as text
     * @param bytesBehind     between them; -1 when it cannot be told
     * @param retainedBytes   what the source keeps for the stream; -1 when it keeps nothing for it
     */
    record Distance(String sourcePosition, String appliedPosition, long bytesBehind, long retainedBytes) {
    }
}
