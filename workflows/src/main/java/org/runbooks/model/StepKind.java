package org.runbooks.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The one list of step kinds and their names, as a runbook file writes them (the one key of a step besides
 * {@code id}) and as history and status name them ({@link Step}'s Jackson type names are these same strings). A
 * new step kind starts here: the compiler then points at every switch over the kinds.
 */
public enum StepKind {
    BACKFILL(Names.BACKFILL),
    VALIDATE(Names.VALIDATE),
    FLAG(Names.FLAG),
    SQL(Names.SQL),
    GATE(Names.GATE),
    WAIT(Names.WAIT),
    NOTIFY(Names.NOTIFY),
    STREAM(Names.STREAM),
    CATCH_UP(Names.CATCH_UP),
    CUTOVER(Names.CUTOVER);

    /** The names as constants, for annotations (Jackson type names), which cannot call {@link #text()}. */
    public static final class Names {
        public static final String BACKFILL = "backfill";
        public static final String VALIDATE = "validate";
        public static final String FLAG = "flag";
        public static final String SQL = "sql";
        public static final String GATE = "gate";
        public static final String WAIT = "wait";
        public static final String NOTIFY = "notify";
        public static final String STREAM = "stream";
        public static final String CATCH_UP = "catchUp";
        public static final String CUTOVER = "cutover";

        private Names() {
        }
    }

    private final String text;

    StepKind(String text) {
        this.text = text;
    }

    /** The kind as a runbook file spells it: {@code backfill}. */
    public String text() {
        return text;
    }

    /** The kind a runbook file's key names; empty for any other key. */
    public static Optional<StepKind> of(String text) {
        return Arrays.stream(values()).filter(k -> k.text.equals(text)).findFirst();
    }

    /** Every kind's name, in this order. */
    public static List<String> texts() {
        return Arrays.stream(values()).map(StepKind::text).toList();
    }
}
