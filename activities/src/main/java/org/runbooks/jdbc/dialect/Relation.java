package org.runbooks.jdbc.dialect;

/**
 * What a copy reads from: a table the runbook names, or the runbook's read-only query. A dialect renders either as
 * the {@code from} item of its statements, so keyset chunks, key ranges and column lookups work the same on both.
 */
public sealed interface Relation {

    static Relation table(String name) {
        return new Table(name);
    }

    static Relation query(String sql) {
        return new Query(sql);
    }

    /** A table, {@code name} or {@code schema.name}; quoted (after its check) by the dialect. */
    record Table(String name) implements Relation {
    }

    /**
     * A SELECT the parser has checked starts with {@code select} or {@code with}. It is the only runbook text that
     * reaches a statement unquoted, and only ever as a derived table read on a read-only connection.
     */
    record Query(String sql) implements Relation {
    }
}
