package org.runbooks.stream;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What {@link StreamActivities#startStream} fixed.
 *
 * @param source             {@code postgres} or {@code mariadb}
 * @param slot               the PostgreSQL replication slot, or null on MariaDB
 * @param publication        the PostgreSQL publication, or null on MariaDB
 * @param startPosition      where the stream starts: a PostgreSQL LSN ({@code 0/16B3748}) or a MariaDB binlog
 *                           position ({@code mariadb-bin.000001:1234})
 * @param createdSlot        whether this stream created the slot (then {@link StreamActivities#dropStream} drops it)
 * @param createdPublication whether this stream created the publication (likewise)
 * @param warnings           what the pre-flight checks found worth saying that does not stop the stream (for
 *                           example an unlimited {@code max_slot_wal_keep_size})
 */
public record StreamStarted(@JsonProperty("source") String source,
                            @JsonProperty("slot") String slot,
                            @JsonProperty("publication") String publication,
                            @JsonProperty("startPosition") String startPosition,
                            @JsonProperty("createdSlot") boolean createdSlot,
                            @JsonProperty("createdPublication") boolean createdPublication,
                            @JsonProperty("warnings") java.util.List<String> warnings) {
}
