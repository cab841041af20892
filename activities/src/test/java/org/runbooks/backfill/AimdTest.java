package org.runbooks.backfill;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The throttled chunk size: halved at every high reading down to the floor, grown back by steps to the ceiling. */
class AimdTest {

    @Test
    void highReadingsHalveTheChunkDownToTheFloor() {
        Aimd size = new Aimd(10_000, 10_000);
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            sizes.add(size.decrease());
        }

        assertThat(sizes).containsExactly(5_000, 2_500, 1_250, 625, 312, 156, 100, 100, 100);
    }

    @Test
    void healthyReadingsAddATenthOfTheCeilingUntilItIsReached() {
        Aimd size = new Aimd(10_000, 100);
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            sizes.add(size.increase());
        }

        assertThat(sizes).containsExactly(1_100, 2_100, 3_100, 4_100, 5_100, 6_100, 7_100, 8_100, 9_100, 10_000,
                10_000);
    }

    @Test
    void aSmallCeilingStepsByTheFloorAndNeverGoesBelowOrAboveItself() {
        Aimd size = new Aimd(250, 250);

        assertThat(size.decrease()).isEqualTo(125);
        assertThat(size.decrease()).isEqualTo(100);
        assertThat(size.increase()).isEqualTo(200);
        assertThat(size.increase()).isEqualTo(250);

        Aimd tiny = new Aimd(50, 50);
        assertThat(tiny.decrease()).as("a chunk smaller than the floor is not cut").isEqualTo(50);
    }

    @Test
    void aStartOutsideTheBoundsIsClamped() {
        assertThat(new Aimd(1_000, 5_000).current()).isEqualTo(1_000);
        assertThat(new Aimd(1_000, 10).current()).isEqualTo(100);
    }
}
