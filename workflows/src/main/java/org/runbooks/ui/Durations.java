package org.runbooks.ui;

import java.time.Duration;
import java.util.Locale;

/**
 * The one duration formatter: every text people read (summaries, Current Details, notifications, the migration
 * report, {@code plan}) writes a duration in one of these three ways.
 */
public final class Durations {

    private Durations() {
    }

    /**
     * The way a runbook file writes it: {@code 3d}, {@code 1h30m}, {@code 45s}, the largest units first and zero
     * units left out; {@code 0s} for nothing and milliseconds below a second ({@code 250ms}).
     */
    public static String compact(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        append(out, d.toDaysPart(), "d");
        append(out, d.toHoursPart(), "h");
        append(out, d.toMinutesPart(), "m");
        append(out, d.toSecondsPart(), "s");
        return out.isEmpty() ? d.toMillis() + "ms" : out.toString();
    }

    /** {@code 1h 05m}, {@code 3m 20s} or {@code 45s}: precise enough for an ETA, short enough to read at a glance. */
    public static String clock(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh %02dm", s / 3600, s % 3600 / 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        return s + "s";
    }

    /** {@code 12.3 s}: how long something measured took, to a tenth of a second. */
    public static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private static void append(StringBuilder out, long amount, String unit) {
        if (amount > 0) {
            out.append(amount).append(unit);
        }
    }
}
