package org.runbooks.stream;

import org.runbooks.parse.Identifiers;

import java.util.List;

/** What each database's stream checks share: the source table's name and the one refusal that lists every problem. */
public final class SourceProblems {

    private SourceProblems() {
    }

    /** The source table's {@code [schema,] name}; null, with the problem noted, when it is not a table name. */
    public static List<String> tableParts(StreamSpec spec, List<String> problems) {
        List<String> parts = Identifiers.tableParts(spec.sourceTable());
        if (parts == null) {
            problems.add("not a table name: " + spec.sourceTable());
        }
        return parts;
    }

    /** Returns {@code warnings}, or throws {@link StreamNotPossibleException} naming every problem when there is one. */
    public static List<String> warningsUnless(List<String> problems, StreamSpec spec, List<String> warnings) {
        if (!problems.isEmpty()) {
            throw new StreamNotPossibleException("stream " + spec.streamId() + " cannot capture "
                    + spec.sourceTable() + " on " + spec.sourceConnection() + ": " + String.join("; ", problems));
        }
        return warnings;
    }
}
