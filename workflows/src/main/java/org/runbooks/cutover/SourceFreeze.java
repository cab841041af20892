package org.runbooks.cutover;

import io.temporal.workflow.Workflow;
import org.runbooks.api.Compensation;
import org.runbooks.api.FlagRestore;
import org.runbooks.api.PhaseEvent;
import org.runbooks.api.SqlRun;
import org.runbooks.flag.FlagActivities;
import org.runbooks.flag.FlagChange;
import org.runbooks.model.CutoverStep;
import org.runbooks.model.FlagStep;
import org.runbooks.model.SqlStep;
import org.runbooks.sql.SqlActivities;
import org.runbooks.step.StepContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What refuses the application's writes on the sources while a cutover switches, as the runbook names it: the
 * triggers on the frozen tables ({@link TriggerFreezes}), a flag the application reads and stops writing on, SQL that
 * refuses writes (a REVOKE, say) with its revert, or several of them. Freezing sets the flag first (and, when no
 * trigger holds the tables, waits {@code settle}, as long as an application may cache it, so that none still writes
 * when the positions are taken), then applies the SQL, then installs the triggers; thawing undoes them in reverse.
 * Each undo is registered before the freeze, and each is idempotent, so a rollback after an abort does nothing twice.
 */
public final class SourceFreeze {

    private final TriggerFreezes triggers;
    private final FlagChange flag;
    private final FlagRestore flagRestore;
    private final SqlRun apply;
    private final SqlRun revert;
    private final Duration settle;

    /** The activities the freeze and the thaw call: local ones inside the switch's freeze window. */
    public record Calls(CutoverActivities cutover, FlagActivities flags, SqlActivities sql) {
    }

    public SourceFreeze(CutoverStep c, StepContext context) {
        this.triggers = TriggerFreezes.of(context.key(c) + "/source", c.freezeByConnection());
        String runKey = context.request().runKey();
        FlagStep f = c.freezeFlag();
        this.flag = f == null ? null : new FlagChange(context.key(f), f.connection(), f.name(), f.percent(), runKey);
        this.flagRestore = f == null ? null : new FlagRestore(context.key(f), f.connection(), f.name(), runKey);
        SqlStep s = c.freezeSql();
        Long lockTimeout = s == null || s.lockTimeout() == null ? null : s.lockTimeout().toMillis();
        this.apply = s == null ? null : new SqlRun(context.key(s) + "/apply", s.connection(), s.apply(), null,
                lockTimeout);
        this.revert = s == null ? null : new SqlRun(context.key(s) + "/revert", s.connection(), s.revert(),
                apply.idempotencyKey(), lockTimeout);
        this.settle = c.settle();
    }

    /** Registers every undo of the freeze with the runbook: before the freeze, so a rollback lifts it. */
    public void registerThaw(StepContext context, String stepId) {
        for (FreezeRequest freeze : triggers.requests()) {
            context.tell(PhaseEvent.started(context.phaseName(), stepId, new Compensation.ThawWrites(stepId,
                    freeze.freezeId(), freeze.connection())));
        }
        if (revert != null) {
            context.tell(PhaseEvent.started(context.phaseName(), stepId + "/freeze-sql",
                    new Compensation.RevertSql(stepId, revert)));
        }
        if (flagRestore != null) {
            context.tell(PhaseEvent.started(context.phaseName(), stepId + "/freeze-flag",
                    new Compensation.RestoreFlag(stepId, flagRestore)));
        }
    }

    /** Freezes the sources: flag, SQL, triggers; what the triggers did (their waits for open transactions). */
    public List<WritesFrozen> freeze(Calls calls) {
        if (flag != null) {
            calls.flags().setFlag(flag);
            if (triggers.requests().isEmpty()) {
                Workflow.sleep(settle);
            }
        }
        if (apply != null) {
            calls.sql().runSql(apply);
        }
        return triggers.freeze(calls.cutover());
    }

    /** Lifts the freeze: triggers, SQL revert, flag restore; one line for all. */
    public String thaw(Calls calls) {
        List<String> thawed = new ArrayList<>();
        if (!triggers.requests().isEmpty()) {
            thawed.add(triggers.thaw(calls.cutover()));
        }
        if (revert != null) {
            String did = calls.sql().runSql(revert);
            thawed.add(did == null || did.equals("ran") ? "revert SQL ran" : did);
        }
        if (flagRestore != null) {
            thawed.add(calls.flags().restoreFlag(flagRestore));
        }
        return String.join("; ", thawed);
    }

    /** What was frozen, for status and messages: the connections, or the flag when it alone froze writes. */
    public String frozenSides() {
        Set<String> sides = new LinkedHashSet<>();
        triggers.requests().forEach(r -> sides.add(r.connection()));
        if (apply != null) {
            sides.add(apply.connection());
        }
        if (sides.isEmpty() && flag != null) {
            sides.add("flag " + flag.name() + " on " + flag.connection());
        }
        return String.join(", ", sides);
    }
}
