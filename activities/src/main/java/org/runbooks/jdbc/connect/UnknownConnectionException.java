package org.runbooks.jdbc.connect;

import java.util.Set;
import java.util.TreeSet;

/** A runbook named a connection the worker's configuration does not define. */
public class UnknownConnectionException extends RuntimeException {

    public UnknownConnectionException(String name, Set<String> known) {
        super("unknown connection '" + name + "'; this worker knows " + new TreeSet<>(known)
                + " (configure runbooks.connections." + name + ".url)");
    }
}
