package org.runbooks.backfill;

import org.junit.jupiter.api.Test;
import org.runbooks.api.CopyRange;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BackfillKeyRangesTest {

    @Test
    void spanIsCutIntoRangesWhoseWidthsDifferByAtMostOne() {
        assertThat(KeyRanges.split(1, 200_000, 4)).isEqualTo(new KeyRanges.Split(List.of(50_001L, 100_001L, 150_001L), null));
        assertThat(KeyRanges.split(3, 7_500, 4).points()).containsExactly(1_877L, 3_752L, 5_626L);
        assertThat(KeyRanges.split(-10, 9, 3).points()).containsExactly(-4L, 3L);
    }

    @Test
    void spanNarrowerThanTheParallelismGivesOneRangePerKeyAndSaysWhy() {
        KeyRanges.Split split = KeyRanges.split(5, 7, 4);

        assertThat(split.points()).containsExactly(6L, 7L);
        assertThat(split.why()).isEqualTo("the leading key spans only 3 values (5 to 7)");
        assertThat(KeyRanges.split(42, 42, 8).points()).isEmpty();
    }

    @Test
    void widestPossibleSpanDoesNotOverflow() {
        assertThat(KeyRanges.split(Long.MIN_VALUE, Long.MAX_VALUE, 2).points()).containsExactly(0L);
        assertThat(KeyRanges.split(Long.MIN_VALUE, Long.MAX_VALUE, 4).points())
                .containsExactly(Long.MIN_VALUE / 2, 0L, Long.MAX_VALUE / 2 + 1);
    }

    @Test
    void firstAndLastRangesAreOpenSoKeysOutsideThePlanAreStillCopied() {
        assertThat(KeyRanges.between("id", List.of(100L, 200L))).containsExactly(
                new CopyRange(1, 3, "id", null, 100L), new CopyRange(2, 3, "id", 100L, 200L),
                new CopyRange(3, 3, "id", 200L, null));
        assertThat(KeyRanges.between("id", List.of())).containsExactly(CopyRange.whole("id"));
    }

    @Test
    void onlyASplitCopyGivesItsRangesProgressKeysOfTheirOwn() {
        assertThat(CopyRange.whole("id").progressKey("run/step")).isEqualTo("run/step");
        assertThat(new CopyRange(2, 4, "id", 10L, 20L).progressKey("run/step")).isEqualTo("run/step#range-2-of-4");
        assertThat(new CopyRange(2, 4, "id", 10L, 20L)).hasToString("id in [10, 20)");
    }
}
