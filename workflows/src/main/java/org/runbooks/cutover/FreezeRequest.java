package org.runbooks.cutover;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * Freeze the application's writes to {@code tables} on {@code connection} (see
 * {@link CutoverActivities#freezeWrites}). While frozen, every insert, update and delete on those tables fails with
 * the refusal below, which an application recognises, re-reads its write flag on, and retries.
 *
 * <ul>
 *   <li>PostgreSQL: SQLSTATE {@value #POSTGRES_SQLSTATE} (class 55, object not in prerequisite state), message
 *       starting with {@value #MESSAGE_PREFIX}; also refuses TRUNCATE.</li>
 *   <li>MariaDB: SQLSTATE {@value #MARIADB_SQLSTATE} (a user-defined SIGNAL), the same message prefix; TRUNCATE
 *       fires no trigger there and is not refused.</li>
 * </ul>
 *
 * @param freezeId          run id + step id + side ({@code …/source}): names what the freeze installs, so freezing
 *                          again installs nothing new and {@link CutoverActivities#thawWrites} removes exactly it
 * @param connection        a connection name the worker resolves
 * @param tables            {@code name} or {@code schema.name}, at least one
 * @param lockTimeoutMillis how long the freeze waits for transactions that are writing the tables when it starts to
 *                          end (see {@link CutoverActivities#freezeWrites}); 0: the connection's lock timeout
 */
public record FreezeRequest(@JsonProperty("freezeId") String freezeId,
                            @JsonProperty("connection") String connection,
                            @JsonProperty("tables") List<String> tables,
                            @JsonProperty("lockTimeoutMillis") long lockTimeoutMillis) {

    /** The SQLSTATE of a write refused by a freeze on PostgreSQL. */
    public static final String POSTGRES_SQLSTATE = "55R01";

    /** The SQLSTATE of a write refused by a freeze on MariaDB. */
    public static final String MARIADB_SQLSTATE = "45000";

    /** How the message of a refused write begins, on both databases. */
    public static final String MESSAGE_PREFIX = "runbooks freeze";

    public FreezeRequest {
        tables = tables == null ? List.of() : List.copyOf(tables);
    }
}
