package org.runbooks.saga;

import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import org.runbooks.api.Compensation;
import org.runbooks.api.CompensationRecord;
import org.runbooks.api.PendingCompensation;
import org.slf4j.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * The compensations of a runbook, in the order they were registered. {@link #compensate} runs them in reverse order
 * inside a detached cancellation scope, so cancelling the workflow cannot skip them; a compensation that fails is
 * logged and the rest still run.
 */
public final class Saga {

    private static final Logger log = Workflow.getLogger(Saga.class);

    private final List<Compensation> registered = new ArrayList<>();
    /** The domain of each registered compensation, by position; null for phases outside any domain. */
    private final List<String> domains = new ArrayList<>();

    public void register(Compensation compensation) {
        register(compensation, null);
    }

    /** Registers a compensation once: a step that is retried after a failure announces the same one again. */
    public void register(Compensation compensation, String domain) {
        if (registered.contains(compensation)) {
            return;
        }
        registered.add(compensation);
        domains.add(domain);
    }

    public List<Compensation> registered() {
        return List.copyOf(registered);
    }

    /** What has not been compensated yet, oldest first, with its domain: what a continued run must restore. */
    public List<PendingCompensation> pending() {
        List<PendingCompensation> pending = new ArrayList<>();
        for (int i = 0; i < registered.size(); i++) {
            pending.add(new PendingCompensation(registered.get(i), domains.get(i)));
        }
        return pending;
    }

    /** Registers, in order, what an earlier run left pending; see {@link #pending()}. */
    public void restore(List<PendingCompensation> pending) {
        for (PendingCompensation p : pending) {
            register(p.compensation(), p.domain());
        }
    }

    /** Runs every registered compensation, last first, and returns the log. Clears what it ran. */
    public List<CompensationRecord> compensate(String runbook, CompensationActivities activities) {
        return compensate(runbook, activities, null);
    }

    /**
     * Runs the compensations registered for {@code domain} (all of them when it is null), last first, and returns
     * the log. Clears what it ran; the other domains' compensations stay for a later rollback.
     */
    public List<CompensationRecord> compensate(String runbook, CompensationActivities activities, String domain) {
        return compensate(runbook, activities, domain, false);
    }

    /**
     * Like {@link #compensate(String, CompensationActivities, String)}; after a switch back ({@code switched}) no
     * backfill's copied rows are deleted: the target was live, and rows the application wrote there are among them.
     */
    public List<CompensationRecord> compensate(String runbook, CompensationActivities activities, String domain,
                                               boolean switched) {
        return takeOut(domain, c -> true, c -> switched && c instanceof Compensation.RemoveCopiedRows
                ? new CompensationRecord(c.stepId(), c.describe(), true, "kept: the application had switched to the "
                + "target, and the switch back brought every write made there to the source; no row of the target "
                + "is deleted")
                : run(runbook, c, activities));
    }

    /** What {@link #switchBack} did: its log, whether a switch was undone, whether one could not be. */
    public record SwitchOutcome(List<CompensationRecord> records, boolean switched, boolean failed) {
    }

    /**
     * Runs the switch backs registered for {@code domain} (all when null), latest first, before anything else: the
     * reverse streams must bring the target's writes back before any stream stops or any row is touched.
     */
    public SwitchOutcome switchBack(String runbook, CompensationActivities activities, String domain) {
        List<CompensationRecord> records = takeOut(domain, c -> c instanceof Compensation.SwitchBack,
                c -> SwitchBacks.run(runbook, (Compensation.SwitchBack) c, activities));
        // A switch back that found nothing switched (no write freeze) switched nothing back.
        return new SwitchOutcome(records, records.stream().anyMatch(r -> r.succeeded() && r.freeze() != null),
                records.stream().anyMatch(r -> !r.succeeded()));
    }

    /**
     * After a switch back that could not complete: the application stays on the target, so nothing else of
     * {@code domain} is undone (no stream stops, no row is deleted); each is logged as kept.
     */
    public List<CompensationRecord> keep(String domain, String why) {
        return takeOut(domain, c -> true, c -> new CompensationRecord(c.stepId(), c.describe(), false, "not run: " + why));
    }

    /**
     * Stops and drops every stream still registered (the runbook ended with them running: nothing it started may
     * keep WAL on the source), last first, and returns the log. The other compensations stay.
     */
    public List<CompensationRecord> endStreams(String runbook, CompensationActivities activities, String why) {
        return endStreams(runbook, activities, why, null);
    }

    /**
     * Stops and drops the streams registered for {@code domain} (all when null), last first. A rollback does this
     * before any other compensation: a stream still applying could write again into rows being put back.
     */
    public List<CompensationRecord> endStreams(String runbook, CompensationActivities activities, String why,
                                               String domain) {
        return takeOut(domain, c -> c instanceof Compensation.DropStream, c -> {
            log.info("runbook={} step={} {}: {}", runbook, c.stepId(), why, c.describe());
            return stopStream((Compensation.DropStream) c, activities, why);
        });
    }

    /**
     * Takes out, last first, each compensation registered for {@code domain} (all when null) that {@code which}
     * accepts, and logs what {@code undo} did with it. Inside a detached scope, so cancelling the workflow cannot
     * skip one.
     */
    private List<CompensationRecord> takeOut(String domain, java.util.function.Predicate<Compensation> which,
                                             java.util.function.Function<Compensation, CompensationRecord> undo) {
        List<CompensationRecord> records = new ArrayList<>();
        Workflow.newDetachedCancellationScope(() -> {
            for (int i = registered.size() - 1; i >= 0; i--) {
                if (which.test(registered.get(i)) && (domain == null || domain.equals(domains.get(i)))) {
                    records.add(undo.apply(registered.get(i)));
                    registered.remove(i);
                    domains.remove(i);
                }
            }
        }).run();
        return records;
    }

    /** The streams still registered: those that may be running. */
    public List<Compensation.DropStream> streams() {
        return registered.stream().filter(c -> c instanceof Compensation.DropStream)
                .map(c -> (Compensation.DropStream) c).toList();
    }

    private static CompensationRecord stopStream(Compensation.DropStream c, CompensationActivities acts, String why) {
        try {
            return new CompensationRecord(c.stepId(), c.describe(), true, StreamStops.stopAndDrop(c, acts.streams(), why));
        } catch (ActivityFailure e) {
            String reason = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
            return new CompensationRecord(c.stepId(), c.describe(), false, reason);
        }
    }

    private static CompensationRecord run(String runbook, Compensation compensation, CompensationActivities acts) {
        log.info("runbook={} step={} compensating: {}", runbook, compensation.stepId(), compensation.describe());
        try {
            String detail = switch (compensation) {
                case Compensation.RestoreFlag c -> acts.flags().restoreFlag(c.restore());
                case Compensation.RemoveCopiedRows c -> acts.backfill().removeCopiedRows(c.request());
                case Compensation.RevertSql c -> {
                    // Null from runs recorded when runSql returned nothing.
                    String did = acts.sql().runSql(c.revert());
                    yield did == null || did.equals("ran") ? "revert SQL ran" : did;
                }
                case Compensation.Irreversible c -> "skipped: declared irreversible";
                case Compensation.DropStream c -> StreamStops.stopAndDrop(c, acts.streams(), "the runbook rolls back");
                case Compensation.ThawWrites c -> acts.cutover().thawWrites(
                        new org.runbooks.cutover.ThawRequest(c.freezeId(), c.connection())).summary();
                // Run through switchBack() ahead of everything else; reached only if that was not called.
                case Compensation.SwitchBack c -> SwitchBacks.run(runbook, c, acts).detail();
            };
            return new CompensationRecord(compensation.stepId(), compensation.describe(), true, detail);
        } catch (ActivityFailure e) {
            String reason = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
            log.error("runbook={} step={} compensation failed: {}", runbook, compensation.stepId(), reason);
            return new CompensationRecord(compensation.stepId(), compensation.describe(), false, reason);
        }
    }
}
