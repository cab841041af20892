package org.runbooks.preflight;

import org.runbooks.model.BackfillStep;
import org.runbooks.model.CutoverStep;
import org.runbooks.model.FlagStep;
import org.runbooks.model.SqlStep;
import org.runbooks.model.Step;
import org.runbooks.model.StepKind;
import org.runbooks.model.StreamStep;
import org.runbooks.model.ValidateStep;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The pre-flight check of each kind of step that touches a database, beside the kind's other parts (listed in
 * workflows' {@code parse.StepKinds}). A kind not listed here touches no database: gates, waits and notifications,
 * and a catch-up, whose stream step is checked where it stands.
 */
final class StepChecks {

    private static final Map<StepKind, Entry<?>> CHECKS = list(
            new Entry<>(StepKind.BACKFILL, BackfillStep.class, (b, c, at) -> new BackfillChecks(c, at).check(b)),
            new Entry<>(StepKind.VALIDATE, ValidateStep.class, (v, c, at) -> new ValidateChecks(c, at).check(v)),
            new Entry<>(StepKind.FLAG, FlagStep.class, (f, c, at) -> c.catalog(f.connection(), at, "flag.connection")),
            new Entry<>(StepKind.SQL, SqlStep.class, (s, c, at) -> c.catalog(s.connection(), at, "sql.connection")),
            new Entry<>(StepKind.STREAM, StreamStep.class, (s, c, at) -> new StreamChecks(c, at).check(s)),
            new Entry<>(StepKind.CUTOVER, CutoverStep.class, (s, c, at) -> s.flags().forEach(
                    f -> c.catalog(f.connection(), at, "cutover.flags"))));

    private StepChecks() {
    }

    /** Checks {@code step} as its kind says; nothing for a kind that touches no database. */
    static void check(Step step, OpenConnections connections, StepFindings at) {
        Entry<?> entry = CHECKS.get(step.kind());
        if (entry != null) {
            entry.check(step, connections, at);
        }
    }

    /** The kinds that have a check. */
    static Set<StepKind> kinds() {
        return CHECKS.keySet();
    }

    private static Map<StepKind, Entry<?>> list(Entry<?>... all) {
        Map<StepKind, Entry<?>> checks = new EnumMap<>(StepKind.class);
        for (Entry<?> e : all) {
            if (checks.put(e.kind(), e) != null) {
                throw new IllegalStateException("step kind " + e.kind() + " is listed twice");
            }
        }
        return Collections.unmodifiableMap(checks);
    }

    private record Entry<S extends Step>(StepKind kind, Class<S> type, StepCheck<S> check) {

        void check(Step step, OpenConnections connections, StepFindings at) {
            check.check(type.cast(step), connections, at);
        }
    }
}
