package org.runbooks.plan;

import org.runbooks.model.BackfillRollback;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.FlagStep;
import org.runbooks.model.GateStep;
import org.runbooks.model.Phase;
import org.runbooks.model.Runbook;
import org.runbooks.model.SqlStep;
import org.runbooks.model.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the shape of a runbook puts at risk, before any database is asked: an irreversible step that runs before a
 * gate whose rejection would roll it back, since that rollback cannot undo it; and a backfill whose rollback deletes
 * copied rows after a later flag switched the application's writes to the target (its flag name says "write"), since
 * from then on the target holds rows only the application has.
 */
final class PlanWarnings {

    private PlanWarnings() {
    }

    static List<String> of(Runbook runbook) {
        List<Placed> steps = new ArrayList<>();
        for (int p = 0; p < runbook.phases().size(); p++) {
            Phase phase = runbook.phases().get(p);
            for (int s = 0; s < phase.steps().size(); s++) {
                steps.add(new Placed("phases[" + p + "].steps[" + s + "]", phase.domain(), phase.steps().get(s)));
            }
        }
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Placed irreversible = steps.get(i);
            if (!(irreversible.step() instanceof SqlStep sql) || !sql.irreversible()) {
                continue;
            }
            steps.subList(i + 1, steps.size()).stream()
                    .filter(later -> later.step() instanceof GateStep && rollsBack(later, irreversible))
                    .findFirst()
                    .ifPresent(gate -> warnings.add(irreversible.path() + " (" + sql.id() + "): irreversible, and it "
                            + "runs before gate " + gate.step().id() + " (" + gate.path() + "); a rejection there "
                            + "cannot undo it"));
        }
        for (int i = 0; i < steps.size(); i++) {
            Placed copy = steps.get(i);
            if (!(copy.step() instanceof BackfillStep backfill) || backfill.onRollback() != BackfillRollback.DELETE_COPIED) {
                continue;
            }
            steps.subList(i + 1, steps.size()).stream()
                    .filter(later -> later.step() instanceof FlagStep flag && switchesWrites(flag)
                            && rollsBack(later, copy))
                    .findFirst()
                    .ifPresent(flag -> warnings.add(copy.path() + " (" + backfill.id() + "): a rollback after flag "
                            + ((FlagStep) flag.step()).name() + " (" + flag.path() + ") switched writes to "
                            + backfill.to() + " deletes the copied rows nobody changed since; rows the application"
                            + " wrote or changed there are kept, but reads that went to the target lose them: consider"
                            + " onRollback: keep"));
        }
        return warnings;
    }

    private static boolean switchesWrites(FlagStep flag) {
        return flag.name() != null && flag.name().toLowerCase(java.util.Locale.ROOT).contains("write");
    }

    /** A gate outside any domain rolls back everything; a gate in a domain rolls back that domain only. */
    private static boolean rollsBack(Placed gate, Placed step) {
        return gate.domain() == null || Objects.equals(gate.domain(), step.domain());
    }

    private record Placed(String path, String domain, Step step) {
    }
}
