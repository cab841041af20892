package org.runbooks.validate;

import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import org.runbooks.api.KeyDifferences;
import org.runbooks.api.KeyRepairResult;
import org.runbooks.api.PhaseRequest;
import org.runbooks.api.RepairRound;
import org.runbooks.api.ValidationRepair;
import org.runbooks.api.ValidationReport;
import org.runbooks.backfill.BackfillActivities;
import org.runbooks.backfill.KeyRepairRequest;
import org.runbooks.model.BackfillStep;
import org.runbooks.model.ValidateStep;
import org.runbooks.step.StepChanges;
import org.runbooks.step.StepOptions;
import org.slf4j.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * A validate step's {@code repair}, driven from its phase: while the validation fails and lists keys, the backfill
 * re-copies exactly those keys ({@link BackfillActivities#repairKeys}) and the step validates again. A validation
 * lists at most a capped number of keys, so a large drift takes several rounds; rounds stop when a validation
 * passes, when one lists no key to repair, when a round finds the very keys the round before it repaired (re-copying
 * cannot close them), or after {@link #MAX_ROUNDS}. Only the last validation's verdict counts; the rounds travel
 * with it as evidence.
 */
public final class RepairRounds {

    /**
     * Most repair rounds one validation runs: 5. A round re-copies at most the keys one validation lists (100), so
     * five close up to 500 differences; a drift larger than that wants the backfill run again, not a repair.
     */
    public static final int MAX_ROUNDS = 5;

    /** Change id of a repair that compares a live target again as {@link LiveComparison} does. */
    static final String LIVE_RECOMPARE_CHANGE = "repair-live-recompare";

    private static final Logger log = Workflow.getLogger(RepairRounds.class);

    private final PhaseRequest request;
    private final String key;
    private final ValidateStep step;
    private final ValidationActivities validation;

    /** @param key the run id + step id, to which each round adds its number for the repair's idempotency key */
    public RepairRounds(PhaseRequest request, String key, ValidateStep step, ValidationActivities validation) {
        this.request = request;
        this.key = key;
        this.step = step;
        this.validation = validation;
    }

    /** Repairs after {@code first}, a failed validation of the step; returns the deciding report with the rounds. */
    public ValidationReport run(ValidationReport first) {
        BackfillStep backfill = step.repair().step();
        List<RepairRound> rounds = new ArrayList<>();
        ValidationReport report = first;
        String stop;
        while (true) {
            KeyDifferences found = report.differences();
            String why = stopReason(report, rounds);
            if (why != null) {
                stop = why;
                break;
            }
            int round = rounds.size() + 1;
            List<List<String>> keys = new ArrayList<>(found.missing());
            keys.addAll(found.extra());
            keys.addAll(found.changed());
            KeyRepairResult done = repairer(backfill, round, keys.size()).repairKeys(new KeyRepairRequest(
                    key + "/repair-" + round, request.runbook(), backfill, step.key(), keys));
            rounds.add(new RepairRound(round, found, done));
            log.info("runbook={} phase={} step={} repair round {} from {}: {} upserted, {} deleted, {} absent",
                    request.runbook(), request.phase().name(), step.id(), round, backfill.id(), done.upserted(),
                    done.deleted(), done.absent());
            report = compareAgain();
        }
        log.info("runbook={} phase={} step={} repair: {}", request.runbook(), request.phase().name(), step.id(), stop);
        return report.withRepair(new ValidationRepair(backfill.id(), rounds, report.passed(), stop));
    }

    /**
     * Compares after a repair: a step that validates a live target compares as {@link LiveComparison} does, so the
     * writes in flight since the repair do not keep it failing (from {@link #LIVE_RECOMPARE_CHANGE} on).
     */
    private ValidationReport compareAgain() {
        if (step.liveStream() != null
                && Workflow.getVersion(LIVE_RECOMPARE_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
            return new LiveComparison(validation).compare(step, request.runKey());
        }
        return validation.compare(step);
    }

    /** Why the rounds end after {@code report}, in words for the evidence; null when another round should run. */
    private static String stopReason(ValidationReport report, List<RepairRound> rounds) {
        KeyDifferences found = report.differences();
        int done = rounds.size();
        if (report.passed()) {
            return "repaired " + keysIn(rounds) + " key(s) in " + done + " round(s); the validation after it passed";
        }
        if (found.listed() == 0) {
            return done == 0
                    ? "nothing to repair: the comparison listed no differing key (a KPI, an assertion or the row"
                    + " count failed, or the two databases are of different kinds and only their checksums differ)"
                    : "after " + done + " round(s) no differing key is listed, yet the validation fails: "
                    + report.detail();
        }
        if (done > 0 && sameKeys(found, rounds.get(done - 1).found())) {
            return "gave up: round " + (done + 1) + " would re-copy the same " + found.listed() + " key(s) as round "
                    + done + ", which did not close them (does the backfill copy every column the validation"
                    + " compares?)";
        }
        if (done == MAX_ROUNDS) {
            return "gave up after " + MAX_ROUNDS + " rounds: " + found.listed() + (found.truncated() ? " or more" : "")
                    + " key(s) still differ; the source may change faster than a repair follows it";
        }
        return null;
    }

    private static boolean sameKeys(KeyDifferences a, KeyDifferences b) {
        return a.missing().equals(b.missing()) && a.extra().equals(b.extra()) && a.changed().equals(b.changed());
    }

    private static int keysIn(List<RepairRound> rounds) {
        return rounds.stream().mapToInt(r -> r.found().listed()).sum();
    }

    /** A short step, shown in the UI as what it repairs. */
    private BackfillActivities repairer(BackfillStep backfill, int round, int keys) {
        ActivityOptions options = StepOptions.repair("repair " + step.id() + " round " + round + ": re-copy " + keys
                + " key(s) with " + backfill.id());
        if (StepChanges.stopsBeforeUndo()) {
            options = StepOptions.stoppedBeforeUndo(options);
        }
        return Workflow.newActivityStub(BackfillActivities.class, options);
    }
}
