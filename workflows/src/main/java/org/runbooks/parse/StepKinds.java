package org.runbooks.parse;

import org.runbooks.backfill.BackfillPlanLines;
import org.runbooks.backfill.BackfillRunner;
import org.runbooks.cutover.CutoverPlanLines;
import org.runbooks.cutover.CutoverRunner;
import org.runbooks.flag.FlagPlanLines;
import org.runbooks.flag.FlagRunner;
import org.runbooks.gate.GatePlanLines;
import org.runbooks.gate.GateRunner;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.CatchUpStep;
import org.runbooks.model.CutoverStep;
import org.runbooks.model.FlagStep;
import org.runbooks.model.GateStep;
import org.runbooks.model.NotifyStep;
import org.runbooks.model.SqlStep;
import org.runbooks.model.Step;
import org.runbooks.model.StepKind;
import org.runbooks.model.StreamStep;
import org.runbooks.model.ValidateStep;
import org.runbooks.model.WaitStep;
import org.runbooks.notify.NotifyPlanLines;
import org.runbooks.notify.NotifyRunner;
import org.runbooks.sql.SqlPlanLines;
import org.runbooks.sql.SqlRunner;
import org.runbooks.step.KeyRanges;
import org.runbooks.step.PlanLines;
import org.runbooks.step.StepRunner;
import org.runbooks.stream.CatchUpPlanLines;
import org.runbooks.stream.CatchUpRunner;
import org.runbooks.stream.StreamPlanLines;
import org.runbooks.stream.StreamRunner;
import org.runbooks.validate.ValidatePlanLines;
import org.runbooks.validate.ValidateRunner;
import org.runbooks.wait.WaitPlanLines;
import org.runbooks.wait.WaitRunner;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The one list of what each step kind is made of: its record, how it is read ({@link StepParser}, in this package,
 * which keeps the reading tools to itself), how it runs ({@link StepRunner}) and what {@code plan} says of it
 * ({@link PlanLines}), the last two from the kind's own package. The parser, the phase workflow and {@code plan}
 * dispatch through it; a new kind is one line here. Pre-flight's checks, which read databases, are listed beside
 * them in activities ({@code preflight.StepChecks}).
 */
public final class StepKinds {

    private static final Map<StepKind, Parts<?>> PARTS = list(
            new Parts<>(StepKind.BACKFILL, BackfillStep.class, new BackfillParser(), BackfillRunner::new,
                    new BackfillPlanLines()),
            new Parts<>(StepKind.VALIDATE, ValidateStep.class, new ValidateParser(), ValidateRunner::new,
                    new ValidatePlanLines()),
            new Parts<>(StepKind.FLAG, FlagStep.class, new FlagParser(), FlagRunner::new, new FlagPlanLines()),
            new Parts<>(StepKind.SQL, SqlStep.class, new SqlParser(), SqlRunner::new, new SqlPlanLines()),
            new Parts<>(StepKind.GATE, GateStep.class, new GateParser(), GateRunner::new, new GatePlanLines()),
            new Parts<>(StepKind.WAIT, WaitStep.class, new WaitParser(), WaitRunner::new, new WaitPlanLines()),
            new Parts<>(StepKind.NOTIFY, NotifyStep.class, new NotifyParser(), NotifyRunner::new,
                    new NotifyPlanLines()),
            new Parts<>(StepKind.STREAM, StreamStep.class, new StreamParser(), StreamRunner::new,
                    new StreamPlanLines()),
            new Parts<>(StepKind.CATCH_UP, CatchUpStep.class, new CatchUpParser(), CatchUpRunner::new,
                    new CatchUpPlanLines()),
            new Parts<>(StepKind.CUTOVER, CutoverStep.class, new CutoverParser(), CutoverRunner::new,
                    new CutoverPlanLines()));

    private StepKinds() {
    }

    /** The kinds listed here, each with its record's class. */
    public static Map<StepKind, Class<? extends Step>> types() {
        Map<StepKind, Class<? extends Step>> types = new EnumMap<>(StepKind.class);
        PARTS.forEach((kind, parts) -> types.put(kind, parts.type()));
        return types;
    }

    /**
     * A new runner for each kind. Workflow code: a phase makes its own, because a runner may hold activity stubs,
     * which belong to one workflow.
     */
    public static Map<StepKind, StepRunner<Step>> newRunners() {
        Map<StepKind, StepRunner<Step>> runners = new EnumMap<>(StepKind.class);
        PARTS.forEach((kind, parts) -> runners.put(kind, parts.newRunner()));
        return runners;
    }

    /** What {@code step} does, in the words of {@code plan}; see {@link PlanLines#does}. */
    public static List<String> does(Step step, KeyRanges keyRanges) {
        return parts(step.kind()).does(step, keyRanges);
    }

    /** What undoes {@code step}, in the words of {@code plan}; see {@link PlanLines#compensation}. */
    public static String compensation(Step step) {
        return parts(step.kind()).compensation(step);
    }

    static Step parse(StepKind kind, String id, Node body) {
        return parts(kind).parser().parse(id, body);
    }

    static Step tie(Step step, Ties ties) {
        return parts(step.kind()).tie(step, ties);
    }

    private static Parts<?> parts(StepKind kind) {
        Parts<?> parts = PARTS.get(kind);
        if (parts == null) {
            throw new IllegalStateException("step kind " + kind + " is not listed in StepKinds");
        }
        return parts;
    }

    private static Map<StepKind, Parts<?>> list(Parts<?>... all) {
        Map<StepKind, Parts<?>> parts = new EnumMap<>(StepKind.class);
        for (Parts<?> p : all) {
            if (parts.put(p.kind(), p) != null) {
                throw new IllegalStateException("step kind " + p.kind() + " is listed twice");
            }
        }
        return Collections.unmodifiableMap(parts);
    }

    /** One kind's parts; each call casts the step to the kind's record once, here. */
    private record Parts<S extends Step>(StepKind kind, Class<S> type, StepParser<S> parser,
                                         Supplier<StepRunner<S>> runner, PlanLines<S> lines) {

        StepRunner<Step> newRunner() {
            StepRunner<S> made = runner.get();
            return (step, context) -> made.run(type.cast(step), context);
        }

        Step tie(Step step, Ties ties) {
            return parser.tie(type.cast(step), ties);
        }

        List<String> does(Step step, KeyRanges keyRanges) {
            return lines.does(type.cast(step), keyRanges);
        }

        String compensation(Step step) {
            return lines.compensation(type.cast(step));
        }
    }
}
