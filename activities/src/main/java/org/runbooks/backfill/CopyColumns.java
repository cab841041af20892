package org.runbooks.backfill;

import org.runbooks.jdbc.Failures;
import org.runbooks.model.BackfillStep;

import java.util.List;
import java.util.function.Function;

/**
 * Which columns a copy reads and where each lands. With no {@code columns} mapping, every source column is copied to
 * the target column of the same name; with one, only the mapped columns are, renamed. The step's {@code key} names
 * source columns; {@code targetKey} is where they land, and so what the upsert and the rollback match on.
 *
 * @param source    the columns read, in order
 * @param target    the column each lands in, in the same order
 * @param sourceKey the key columns as the source names them, in chunk order
 * @param targetKey the same key columns as the target names them
 */
public record CopyColumns(List<String> source, List<String> target, List<String> sourceKey, List<String> targetKey) {

    /** Position of each key column in a row read with {@link #source}. */
    public int[] keyIndex() {
        return sourceKey.stream().mapToInt(source::indexOf).toArray();
    }

    /**
     * Checks the step against the columns both sides really have.
     *
     * @throws io.temporal.failure.ApplicationFailure a non-retryable {@code SchemaMismatch} naming what is missing
     */
    static CopyColumns resolve(BackfillStep step, List<String> sourceColumns, List<String> targetColumns) {
        String source = describeSource(step);
        List<String> read = step.columns().isEmpty() ? sourceColumns : List.copyOf(step.columns().keySet());
        List<String> written = read.stream().map(step::targetColumn).toList();
        if (step.columns().isEmpty()) {
            require(written.stream().filter(c -> !targetColumns.contains(c)).toList(),
                    missing -> "target " + step.to() + " lacks columns " + missing + " that " + source + " has");
        } else {
            require(read.stream().filter(c -> !sourceColumns.contains(c)).toList(),
                    missing -> source + " has no columns " + missing + " that columns maps from");
            require(written.stream().filter(c -> !targetColumns.contains(c)).toList(),
                    missing -> "target " + step.to() + " lacks columns " + missing + " that columns maps to");
        }
        require(step.key().stream().filter(k -> !read.contains(k)).toList(), missing -> step.columns().isEmpty()
                ? "key columns " + missing + " are not columns of " + source
                : "key columns " + missing + " are not among the mapped columns");
        return new CopyColumns(read, written, step.key(), step.key().stream().map(step::targetColumn).toList());
    }

    /** The source as messages name it: {@code source legacy.orders}, or {@code the query on legacy}. */
    static String describeSource(BackfillStep step) {
        return step.query() == null ? "source " + step.from() : "the query on " + step.from().connection();
    }

    private static void require(List<String> missing, Function<List<String>, String> message) {
        if (!missing.isEmpty()) {
            throw Failures.schemaMismatch(message.apply(missing));
        }
    }
}
