package org.runbooks.cutover;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * What {@link CutoverActivities#freezeWrites} did.
 *
 * @param freezeId     the freeze
 * @param installed    what this call installed ({@code trigger x on orders}); empty when the freeze was in place
 *                     already (a retried or repeated call)
 * @param waitedFor    the transactions that were writing the tables when the freeze began and that it waited for
 *                     ({@code pid 4711, open 2.1 s: insert into orders …}); each had ended, committed or not, before
 *                     the freeze took hold
 * @param waitedMillis how long the freeze took, waiting for those transactions included
 */
public record WritesFrozen(@JsonProperty("freezeId") String freezeId,
                           @JsonProperty("installed") List<String> installed,
                           @JsonProperty("waitedFor") List<String> waitedFor,
                           @JsonProperty("waitedMillis") long waitedMillis) {

    public WritesFrozen {
        installed = installed == null ? List.of() : List.copyOf(installed);
        waitedFor = waitedFor == null ? List.of() : List.copyOf(waitedFor);
    }
}
