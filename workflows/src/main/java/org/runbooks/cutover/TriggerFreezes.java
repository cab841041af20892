package org.runbooks.cutover;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The write-refusing triggers of one side of a switch, one {@link FreezeRequest} per connection: with one connection
 * the freeze id is the side's own ({@code …/source}), with several each connection's id adds its name, so two
 * connection names that reach one database never remove each other's triggers.
 */
public record TriggerFreezes(List<FreezeRequest> requests) {

    public TriggerFreezes {
        requests = List.copyOf(requests);
    }

    /** The freezes of {@code tablesByConnection} (connection to its tables), named after {@code freezeId}. */
    public static TriggerFreezes of(String freezeId, Map<String, List<String>> tablesByConnection) {
        List<FreezeRequest> requests = new ArrayList<>();
        tablesByConnection.forEach((connection, tables) -> requests.add(new FreezeRequest(
                tablesByConnection.size() == 1 ? freezeId : freezeId + "/" + connection, connection, tables, 0)));
        return new TriggerFreezes(requests);
    }

    /** Installs every freeze, one connection after the other; what each did. */
    public List<WritesFrozen> freeze(CutoverActivities cutover) {
        List<WritesFrozen> frozen = new ArrayList<>();
        for (FreezeRequest request : requests) {
            frozen.add(cutover.freezeWrites(request));
        }
        return frozen;
    }

    /** Lifts every freeze; one line for all of them ({@code removed …; nothing to remove}). */
    public String thaw(CutoverActivities cutover) {
        List<String> thawed = new ArrayList<>();
        for (FreezeRequest request : requests) {
            thawed.add(cutover.thawWrites(new ThawRequest(request.freezeId(), request.connection())).summary());
        }
        return String.join("; ", thawed);
    }

    /** The frozen connections, comma-separated. */
    public String connections() {
        return String.join(", ", requests.stream().map(FreezeRequest::connection).toList());
    }
}
