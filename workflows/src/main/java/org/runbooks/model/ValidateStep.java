package org.runbooks.model;

import java.util.List;

/**
 * Compares {@code source} with {@code target}: row counts within {@code rowCountTolerance} and, when
 * {@code checksum} is set, a checksum over every common column in key order. A mismatch fails the phase.
 */
public record ValidateStep(String id, TableRef source, TableRef target, List<String> key, long rowCountTolerance,
                           boolean checksum) implements Step {

    public ValidateStep {
        key = List.copyOf(key);
    }
}
