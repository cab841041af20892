package org.runbooks.step;

import io.temporal.workflow.Workflow;
import org.runbooks.api.PhaseEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps what a running phase tells its runbook bounded in number, so the runbook's history stays far below the
 * server's limit however long a phase runs. The runbook continues as new only between phases, and each event it is
 * told is a signal in its history: 300 throttled slices used to add 1,646 events, and a week-long soak that
 * re-validates every minute would pass the 51,200-event limit, at which the server terminates the runbook with no
 * rollback.
 *
 * <p>Reports of a running step's state ({@link PhaseEvent.Kind#THROTTLE}, {@link PhaseEvent.Kind#EVIDENCE}) are
 * told at once when what an operator acts on changes (held back or not, the probe's problem; passed or not), and
 * otherwise at most once per interval (a minute for throttle reports; for a wait's re-validations, its {@code every}
 * or a hundredth of the wait, whichever is longer, so a wait tells about 100 of them at most); the latest report held back is told before the step's next event of any
 * other kind and before the phase continues as new, so the runbook always ends up with the last word. Every other
 * kind is told at once. Runs that began before this change tell everything, as they did.
 */
public final class PhaseEventPacer {

    /** The {@code Workflow.getVersion} change id that introduced pacing. */
    static final String CHANGE_ID = "pace-phase-events";
    /** The least time between two throttle reports of one step that change nothing an operator acts on: 1 minute. */
    static final Duration THROTTLE_INTERVAL = Duration.ofMinutes(1);
    /**
     * How many re-validation reports with the same verdict one wait tells at most: 100, spread evenly over the wait
     * (every one, when it re-validates fewer times).
     */
    static final int EVIDENCE_REPORTS_PER_WAIT = 100;

    private record Told(String state, long atMillis) {
    }

    private Boolean enabled;
    private final Map<String, Told> told = new LinkedHashMap<>();
    private final Map<String, PhaseEvent> held = new LinkedHashMap<>();

    /**
     * The events to tell now, in order, for {@code event}: none when it is held back, the event itself, or the
     * step's held reports followed by the event.
     */
    public List<PhaseEvent> pace(PhaseEvent event) {
        return pace(event, THROTTLE_INTERVAL);
    }

    /**
     * The least time between two re-validation reports of a wait that re-validates every {@code every} for
     * {@code duration}: {@code every}, or a hundredth of the wait when it re-validates more often than that.
     */
    public static Duration evidenceInterval(Duration duration, Duration every) {
        Duration share = duration.dividedBy(EVIDENCE_REPORTS_PER_WAIT);
        return share.compareTo(every) > 0 ? share : every;
    }

    /** {@link #pace(PhaseEvent)}, with {@code interval} between two reports that change nothing. */
    public List<PhaseEvent> pace(PhaseEvent event, Duration interval) {
        String state = state(event);
        if (state == null) {
            List<PhaseEvent> out = new ArrayList<>(flush(event.step()));
            out.add(event);
            return out;
        }
        if (!enabled()) {
            return List.of(event);
        }
        String key = event.kind() + "/" + event.step();
        long now = Workflow.currentTimeMillis();
        Told last = told.get(key);
        boolean changed = last == null || !Objects.equals(last.state(), state);
        boolean due = last == null || now - last.atMillis() >= interval.toMillis();
        if (changed || due) {
            held.remove(key);
            told.put(key, new Told(state, now));
            return List.of(event);
        }
        held.put(key, event);
        return List.of();
    }

    /** Every held report, oldest first: what to tell before the phase continues as new or ends. */
    public List<PhaseEvent> flushAll() {
        List<PhaseEvent> out = new ArrayList<>(held.values());
        held.clear();
        return out;
    }

    private List<PhaseEvent> flush(String step) {
        List<PhaseEvent> out = new ArrayList<>();
        held.entrySet().removeIf(e -> {
            if (Objects.equals(e.getValue().step(), step)) {
                out.add(e.getValue());
                return true;
            }
            return false;
        });
        return out;
    }

    private boolean enabled() {
        if (enabled == null) {
            enabled = Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) >= 1;
        }
        return enabled;
    }

    /** What an operator acts on in a paced report; null for the kinds that are always told at once. */
    private static String state(PhaseEvent event) {
        return switch (event) {
            case PhaseEvent.Throttle t -> t.throttle() == null ? "none"
                    : t.throttle().throttled() + "/" + t.throttle().problem();
            case PhaseEvent.Evidence e -> e.evidence() == null ? "none" : String.valueOf(e.evidence().passed());
            default -> null;
        };
    }

}
