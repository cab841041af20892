package org.runbooks.validate;

import org.runbooks.api.KeyDifferences;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the exact keys behind a key interval whose checksums differ, by cutting it in two at the middle key of the
 * side with more rows and checksumming the first half on both sides (the second half is the whole minus the first)
 * until an interval is small enough to compare key by key, or one side has no rows in it at all. Halves that agree
 * are left alone, so a handful of differences in a large table costs a few dozen range checksums, not a scan per
 * row. Lists at most {@code limit} keys; past that it stops looking and says so.
 */
final class Bisector {

    /** Rows per side at or below which an interval is compared key by key, each key with its row hash: 1,000. */
    static final int LEAF_ROWS = 1_000;
    /** Most keys a validation lists over missing, extra and changed, so a report fits a workflow history: 100. */
    static final int MAX_LISTED_KEYS = 100;

    private final BothSides sides;
    private final int limit;
    private final List<List<String>> missing;
    private final List<List<String>> extra;
    private final List<List<String>> changed;
    private boolean truncated;

    /** Continues from {@code found}, the differences earlier intervals (or an earlier attempt) listed. */
    Bisector(BothSides sides, KeyDifferences found, int limit) {
        this.sides = sides;
        this.limit = limit;
        this.missing = new ArrayList<>(found.missing());
        this.extra = new ArrayList<>(found.extra());
        this.changed = new ArrayList<>(found.changed());
        this.truncated = found.truncated();
    }

    KeyDifferences found() {
        return new KeyDifferences(missing, extra, changed, truncated);
    }

    /** Lists the keys that differ in {@code interval}, whose checksums on each side are {@code s} and {@code t}. */
    void locate(KeyInterval interval, RangeChecksum s, RangeChecksum t) throws SQLException {
        if (s.equals(t)) {
            return;
        }
        if (room() == 0) {
            truncated = true;
        } else if (s.rows() == 0) {
            listAll(sides.target, interval, t.rows(), extra);
        } else if (t.rows() == 0) {
            listAll(sides.source, interval, s.rows(), missing);
        } else if (Math.max(s.rows(), t.rows()) <= LEAF_ROWS) {
            compareRows(interval);
        } else {
            RangeReader larger = s.rows() >= t.rows() ? sides.source : sides.target;
            List<String> middle = larger.keyAt(interval, Math.max(s.rows(), t.rows()) / 2 - 1);
            if (middle == null) {
                // Rows were deleted since the interval was counted: what is listed is all this pass can tell.
                truncated = true;
                return;
            }
            KeyInterval first = interval.upTo(middle);
            KeyInterval second = interval.after(middle);
            BothSides.Answers<RangeChecksum> firstHalf = sides.ask(side -> side.checksum(first));
            locate(first, firstHalf.source(), firstHalf.target());
            locate(second, s.minus(firstHalf.source()), t.minus(firstHalf.target()));
        }
    }

    private int room() {
        return limit - missing.size() - extra.size() - changed.size();
    }

    /** Every key of an interval the other side has no rows in: each one is missing (or extra). */
    private void listAll(RangeReader side, KeyInterval interval, long rows, List<List<String>> into)
            throws SQLException {
        int room = room();
        into.addAll(side.keys(interval, room));
        if (rows > room) {
            truncated = true;
        }
    }

    private void compareRows(KeyInterval interval) throws SQLException {
        BothSides.Answers<Map<List<String>, Long>> rows = sides.ask(side -> side.rowHashes(interval));
        Map<List<String>, Long> s = rows.source();
        Map<List<String>, Long> t = rows.target();
        for (Map.Entry<List<String>, Long> row : s.entrySet()) {
            Long other = t.get(row.getKey());
            if (other == null) {
                add(missing, row.getKey());
            } else if (!other.equals(row.getValue())) {
                add(changed, row.getKey());
            }
        }
        for (List<String> key : t.keySet()) {
            if (!s.containsKey(key)) {
                add(extra, key);
            }
        }
    }

    private void add(List<List<String>> into, List<String> key) {
        if (room() > 0) {
            into.add(key);
        } else {
            truncated = true;
        }
    }
}
