package org.runbooks.worker.it.drills;

/**
 * How big the failure drills run. {@code SHORT} (few kills, small tables, a few minutes in all) is what every
 * {@code mvn verify} runs; {@code FULL} is chosen with {@code -Drunbooks.drills=full}, which
 * {@code scripts/drills.sh --full} passes.
 */
enum DrillSize {
    SHORT,
    FULL;

    /** The system property that selects the size: {@code short} (the default) or {@code full}. */
    static final String PROPERTY = "runbooks.drills";

    static DrillSize current() {
        String value = System.getProperty(PROPERTY, "short");
        return switch (value) {
            case "short" -> SHORT;
            case "full" -> FULL;
            default -> throw new IllegalArgumentException(
                    "-D" + PROPERTY + " must be short or full, not '" + value + "'");
        };
    }

    /** {@code shortValue} in the short drills, {@code fullValue} in the full ones. */
    <T> T pick(T shortValue, T fullValue) {
        return this == SHORT ? shortValue : fullValue;
    }

    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
