package org.runbooks.parse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * What one parse collects: the errors found so far (each placed at its line and column), the names the worker can
 * resolve, and the step references that can only be checked once every step is known.
 */
final class Checks {

    private final String file;
    private final SourceTree source;
    private final Set<String> knownConnections;
    private final Set<String> knownWebhooks;
    private final List<RunbookError> errors = new ArrayList<>();

    Checks(String file, SourceTree source, Set<String> knownConnections, Set<String> knownWebhooks) {
        this.file = file;
        this.source = source;
        this.knownConnections = knownConnections;
        this.knownWebhooks = knownWebhooks;
    }

    String file() {
        return file;
    }

    void error(String path, String message) {
        int[] at = source.position(path);
        errors.add(new RunbookError(file, at[0], at[1], path, message));
    }

    void connection(String path, String name) {
        if (name != null && knownConnections != null && !knownConnections.contains(name)) {
            error(path, "unknown connection '" + name + "'; the worker knows " + knownConnections.stream().sorted().toList());
        }
    }

    void webhook(String path, String name) {
        if (name != null && knownWebhooks != null && !knownWebhooks.contains(name)) {
            error(path, "unknown webhook '" + name + "'; the worker knows " + knownWebhooks.stream().sorted().toList());
        }
    }

    /** Every error, in file order (errors at the same place keep the order they were found in). */
    List<RunbookError> errors() {
        List<RunbookError> sorted = new ArrayList<>(errors);
        sorted.sort(Comparator.comparingInt(RunbookError::line).thenComparingInt(RunbookError::column));
        return sorted;
    }
}
