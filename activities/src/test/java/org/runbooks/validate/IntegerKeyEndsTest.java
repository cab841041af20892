package org.runbooks.validate;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** How an integer key is cut into segments by arithmetic, following the rows the source holds. */
class IntegerKeyEndsTest {

    @Test
    void denseKeysAreCutEverySegmentRowsKeysAndTheLastSegmentIsOpenAbove() {
        IntegerKeyEnds ends = new IntegerKeyEnds(new IntegerKeyEnds.Span(1, 10_000), 3_000);

        assertThat(cut(ends, key -> 1)).containsExactly("3000", "6000", "9000", null);
    }

    @Test
    void sparseKeysWidenTheSegmentsToHoldAboutSegmentRowsRows() {
        // Every third key exists: the first segment holds 1,000 rows, the next ones 3,000.
        IntegerKeyEnds ends = new IntegerKeyEnds(new IntegerKeyEnds.Span(3, 30_000), 3_000);

        List<String> cuts = cut(ends, key -> key % 3 == 0 ? 1 : 0);

        assertThat(cuts).startsWith("3002", "12002", "21002").endsWith((String) null).hasSize(4);
    }

    @Test
    void aGapGrowsTheWidthAtMostEightfoldPerSegment() {
        // Keys 1..1,000 and 1,000,001..1,001,000: the empty stretch is crossed in widening steps.
        IntegerKeyEnds ends = new IntegerKeyEnds(new IntegerKeyEnds.Span(1, 1_001_000), 1_000);

        List<String> cuts = cut(ends, key -> key <= 1_000 || key > 1_000_000 ? 1 : 0);

        List<Long> widths = new ArrayList<>();
        long previous = 0;
        for (String cut : cuts.subList(0, cuts.size() - 1)) {
            widths.add(Long.parseLong(cut) - previous);
            previous = Long.parseLong(cut);
        }
        assertThat(widths).startsWith(1_000L, 1_000L, 8_000L, 64_000L, 512_000L);
        for (int i = 1; i < widths.size(); i++) {
            assertThat(widths.get(i)).isBetween(widths.get(i - 1) / 8, widths.get(i - 1) * 8);
        }
        assertThat(cuts.getLast()).isNull();
    }

    @Test
    void aResumedComparisonContinuesAfterItsCheckpoint() {
        IntegerKeyEnds ends = new IntegerKeyEnds(new IntegerKeyEnds.Span(1, 10_000), 3_000);

        assertThat(ends.endAfter(List.of("6000"))).containsExactly("9000");
        assertThat(ends.endAfter(List.of("9000"))).isNull();
        assertThat(ends.endAfter(List.of("20000"))).as("past the source's largest key").isNull();
        assertThat(ends.endAfter(List.of("-50"))).as("below the source's smallest key").containsExactly("3000");
    }

    @Test
    void theWidestSpanOfALongDoesNotOverflow() {
        IntegerKeyEnds ends = new IntegerKeyEnds(new IntegerKeyEnds.Span(Long.MIN_VALUE, Long.MAX_VALUE), 10);

        assertThat(ends.endAfter(null)).containsExactly(Long.toString(Long.MIN_VALUE + 9));
        assertThat(ends.endAfter(List.of(Long.toString(Long.MAX_VALUE - 5)))).isNull();
        ends.counted(0);
        assertThat(ends.endAfter(List.of("0"))).containsExactly("80");
    }

    /** Every cut from the first to the last (null), with {@code rows(key)} rows at each key. */
    private static List<String> cut(IntegerKeyEnds ends, LongUnaryOperator rows) {
        List<String> cuts = new ArrayList<>();
        List<String> after = null;
        while (true) {
            List<String> end = ends.endAfter(after);
            cuts.add(end == null ? null : end.get(0));
            if (end == null) {
                return cuts;
            }
            long from = after == null ? 1 : Long.parseLong(after.get(0)) + 1;
            long held = 0;
            for (long key = from; key <= Long.parseLong(end.get(0)); key++) {
                held += rows.applyAsLong(key);
            }
            ends.counted(held);
            after = end;
        }
    }
}
