package org.runbooks.validate;

import org.runbooks.api.CheckResult;
import org.runbooks.api.KeyDifferences;
import org.runbooks.api.ValidationReport;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The keys a live validation found different in every comparison so far. While the source keeps writing, each table
 * comparison finds the rows written since the stream last applied; before each comparison after the first, the
 * stream has applied everything committed before the previous one began. A key the stream leaves wrong differs in
 * every comparison; a write in flight differs in one and is closed by the next. So when the comparisons' listed keys
 * have nothing in common, the differences were writes in flight, and the table checks pass. This judges only the
 * table comparison: a failed KPI or assertion, or a comparison that lists no keys or not all of them, still fails.
 */
final class InFlightKeys {

    private final List<String> keyColumns;
    private Set<List<String>> persistent;
    private final Set<List<String>> seen = new LinkedHashSet<>();

    InFlightKeys(List<String> keyColumns) {
        this.keyColumns = keyColumns;
    }

    /** Takes in one more comparison; false when it cannot be judged by its keys (it decides as it is). */
    boolean add(ValidationReport report) {
        if (!onlyTheTablesDiffer(report)) {
            return false;
        }
        Set<List<String>> keys = keys(report.differences());
        seen.addAll(keys);
        if (persistent == null) {
            persistent = keys;
        } else {
            persistent.retainAll(keys);
        }
        return true;
    }

    /** Whether the comparisons taken in so far share no key. */
    boolean allInFlight() {
        return persistent != null && persistent.isEmpty();
    }

    /** {@code last} with its table checks passed, saying which keys were in flight. */
    ValidationReport passed(ValidationReport last, int comparisons) {
        String why = "differences on other keys in each of " + comparisons + " comparisons were writes in flight ("
                + describe(seen) + "), each closed by the stream before the next";
        List<CheckResult> checks = last.checks().stream().map(c -> isTable(c) && !c.passed()
                ? new CheckResult(c.name(), c.kind(), true, c.sourceValue(), c.targetValue(), c.threshold(),
                c.detail() + "; " + why) : c).toList();
        return new ValidationReport(last.stepId(), last.sourceRows(), last.targetRows(), last.sourceChecksum(),
                last.targetChecksum(), true, why, checks, last.differences(), last.repair(), last.comparedColumns());
    }

    /** Why {@code last} fails: the keys that differed in every comparison, when there are any. */
    String persistentDetail() {
        return persistent == null || persistent.isEmpty() ? ""
                : describe(persistent) + " differed in every comparison; ";
    }

    private String describe(Set<List<String>> keys) {
        List<String> shown = new ArrayList<>();
        for (List<String> key : keys) {
            if (shown.size() == 10) {
                shown.add("…");
                break;
            }
            shown.add(IntStream.range(0, key.size()).mapToObj(i -> (i < keyColumns.size() ? keyColumns.get(i)
                    : "key" + i) + "=" + key.get(i)).collect(Collectors.joining(",")));
        }
        return String.join(", ", shown);
    }

    private static boolean onlyTheTablesDiffer(ValidationReport report) {
        KeyDifferences d = report.differences();
        return !report.passed() && d.listed() > 0 && !d.truncated() && !report.checks().isEmpty()
                && report.checks().stream().allMatch(c -> c.passed() || isTable(c));
    }

    private static boolean isTable(CheckResult c) {
        return c.kind() == CheckResult.Kind.ROW_COUNT || c.kind() == CheckResult.Kind.CHECKSUM;
    }

    private static Set<List<String>> keys(KeyDifferences d) {
        Set<List<String>> keys = new LinkedHashSet<>(d.missing());
        keys.addAll(d.extra());
        keys.addAll(d.changed());
        return keys;
    }
}
