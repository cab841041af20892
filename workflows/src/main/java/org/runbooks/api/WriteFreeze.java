package org.runbooks.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One window in which a switch (or a switch back) refused the application's writes: from the freeze to the thaw, as
 * the workflow measured it. The application's own stall is about {@code beforeFlipMillis} plus how long it caches its
 * write flag: after the flip its next flag read sends it to the other side, while the freeze stays until the thaw so
 * that a write made on a stale flag is refused and retried, never lost.
 *
 * @param step             the cutover step
 * @param direction        {@code switch} (source frozen, to the target) or {@code switch back} (target frozen, back to
 *                         the source)
 * @param connection       the side that was frozen
 * @param frozenMillis     freeze to thaw
 * @param beforeFlipMillis freeze to the last flag flipped (or restored)
 * @param at               when the thaw came (ISO-8601, workflow time)
 * @param stages           how long each stage took, in order: for a switch pre-check, freeze, catch-up, reverse stream,
 *                         sequences, flip, settle, thaw; for a switch back freeze, catch-up, sequences, flip, settle,
 *                         thaw (each the longer of the workflow clock and what its activities measured); null in a
 *                         window recorded before stages were
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WriteFreeze(String step, String direction, String connection, long frozenMillis, long beforeFlipMillis,
                          String at, java.util.List<Stage> stages) {

    /** One stage of a switch and how long it took. */
    public record Stage(String name, long millis) {
    }

    /** A window without its stages. */
    public WriteFreeze(String step, String direction, String connection, long frozenMillis, long beforeFlipMillis,
                       String at) {
        this(step, direction, connection, frozenMillis, beforeFlipMillis, at, null);
    }

    public static final String SWITCH = "switch";
    public static final String SWITCH_BACK = "switch back";

    /**
     * One line: {@code switch at cut: writes on legacy refused 1,412 ms (flags flipped after 412 ms); stages: pre-check
     * 2,004 ms, freeze 12 ms, …}.
     */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%s at %s: writes on %s refused %,d ms (flags %s after %,d ms)",
                direction, step, connection, frozenMillis, SWITCH_BACK.equals(direction) ? "restored" : "flipped",
                beforeFlipMillis) + (stages == null || stages.isEmpty() ? "" : "; stages: " + stagesLine());
    }

    /** {@code pre-check 2,004 ms, freeze 12 ms, …}; empty without stages. */
    public String stagesLine() {
        return stages == null ? "" : String.join(", ", stages.stream().map(st -> String.format(java.util.Locale.ROOT,
                "%s %,d ms", st.name(), st.millis())).toList());
    }
}
