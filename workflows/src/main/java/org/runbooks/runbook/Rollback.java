package org.runbooks.runbook;

import io.temporal.workflow.Workflow;
import org.runbooks.api.CompensationRecord;
import org.runbooks.api.RunbookState;
import org.runbooks.backfill.BackfillActivities;
import org.runbooks.flag.FlagActivities;
import org.runbooks.report.RunbookReporting;
import org.runbooks.saga.CompensationActivities;
import org.runbooks.saga.Saga;
import org.runbooks.sql.SqlActivities;
import org.runbooks.step.StepOptions;
import org.slf4j.Logger;

import java.util.List;

/**
 * Rolls the runbook back: every compensation the ledger's saga holds, last first, or only those of one domain,
 * each booked in the compensation log and the migration report.
 */
final class Rollback {

    private static final Logger log = Workflow.getLogger(Rollback.class);

    private final CompensationActivities compensations = new CompensationActivities(
            Workflow.newActivityStub(FlagActivities.class, StepOptions.compensation()),
            Workflow.newActivityStub(BackfillActivities.class, StepOptions.compensation()),
            Workflow.newActivityStub(SqlActivities.class, StepOptions.compensation()),
            Workflow.newActivityStub(org.runbooks.stream.StreamActivities.class, StepOptions.compensation()),
            Workflow.newActivityStub(org.runbooks.cutover.CutoverActivities.class, StepOptions.compensation()));
    private final Ledger ledger;
    private final RunbookReporting reporting;
    private final Effects runbook;

    Rollback(Ledger ledger, RunbookReporting reporting, Effects runbook) {
        this.ledger = ledger;
        this.reporting = reporting;
        this.runbook = runbook;
    }

    /** Undoes everything completed, last first; the runbook ends {@link RunbookState#ROLLED_BACK}. */
    void everything(String why) {
        ledger.because(why, "; then ");
        undo(null, why);
        runbook.enterDetached(RunbookState.ROLLED_BACK);
    }

    /**
     * Undoes only the phases of {@code domain}, last first; the domain's later phases are skipped and the other
     * domains go on. The runbook ends {@link RunbookState#PARTIALLY_ROLLED_BACK} unless something later rolls back
     * the rest.
     */
    void domain(String domain, String why) {
        ledger.because("domain " + domain + " rolled back: " + why, "; ");
        undo(domain, why);
        ledger.rolledBackDomains.add(domain);
        runbook.enterDetached(ledger.activeState());
    }

    /**
     * The runbook ends with streams still running: each is stopped and its slot and publication dropped, and the
     * compensation log says so. Nothing it started keeps WAL on a source after it.
     */
    void endStreams(String why) {
        List<CompensationRecord> ended = ledger.saga.endStreams(runbook.name(), compensations, why);
        ledger.compensationLog.addAll(ended);
    }

    /** Runs the compensations of {@code domain} (null: of everything), last first, and books what they did. */
    private void undo(String domain, String why) {
        runbook.enterDetached(RunbookState.ROLLING_BACK);
        log.warn("runbook={} phase={} rolling back {}: {}", runbook.name(), ledger.phase,
                domain == null ? "everything" : "domain " + domain, why);
        reporting.rollbackStarted(domain, why);
        Saga.SwitchOutcome back = ledger.saga.switchBack(runbook.name(), compensations, domain);
        List<CompensationRecord> undone = new java.util.ArrayList<>(back.records());
        if (back.failed()) {
            undone.addAll(ledger.saga.keep(domain, "the switch back did not complete, so the application stays on "
                    + "the target and nothing else is undone"));
        } else {
            undone.addAll(ledger.saga.endStreams(runbook.name(), compensations, "the runbook rolls back", domain));
            undone.addAll(ledger.saga.compensate(runbook.name(), compensations, domain, back.switched()));
        }
        ledger.compensationLog.addAll(undone);
        reporting.rollbackEnded(domain, undone);
    }
}
