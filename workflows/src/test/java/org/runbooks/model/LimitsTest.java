package org.runbooks.model;

import org.junit.jupiter.api.Test;
import org.runbooks.api.Knobs;
import org.runbooks.api.Tune;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The knobs' one set of bounds, the same for a runbook file and a tune, and "the operator's, else the step's". */
class LimitsTest {

    @Test
    void chunkRowsIsOneToAMillion() {
        assertThat(Limits.chunkRowsProblem(0)).isEqualTo("must be 1 to 1000000, not 0");
        assertThat(Limits.chunkRowsProblem(1)).isNull();
        assertThat(Limits.chunkRowsProblem(1_000_000)).isNull();
        assertThat(Limits.chunkRowsProblem(1_000_001)).isEqualTo("must be 1 to 1000000, not 1000001");
        assertThat(Limits.chunkRowsProblem(5_000_000)).isNotNull();
    }

    @Test
    void parallelismIsOneToThirtyTwoAndTheRateIsNotNegative() {
        assertThat(Limits.parallelismProblem(0)).isEqualTo("must be 1 to 32, not 0");
        assertThat(Limits.parallelismProblem(32)).isNull();
        assertThat(Limits.parallelismProblem(33)).isEqualTo("must be 1 to 32, not 33");
        assertThat(Limits.rowsPerSecondProblem(0)).isNull();
        assertThat(Limits.rowsPerSecondProblem(-1)).isEqualTo("must be >= 0 (0 means no limit), not -1");
    }

    @Test
    void aTuneIsHeldToTheSameBoundsWithTheKnobNamed() {
        assertThat(new Tune("dave", 1_000_000, 0L, 32).boundsProblem()).isNull();
        assertThat(new Tune("dave", 5_000_000, null, null).boundsProblem())
                .isEqualTo("chunkRows must be 1 to 1000000, not 5000000");
        assertThat(new Tune("dave", null, -5L, null).boundsProblem())
                .isEqualTo("rowsPerSecond must be >= 0 (0 means no limit), not -5");
        assertThat(new Tune("dave", null, null, 0).boundsProblem()).isEqualTo("parallelism must be 1 to 32, not 0");
    }

    @Test
    void theOperatorsValueWinsOverTheStepsOwnAndAnUntunedKnobIsTheSteps() {
        BackfillStep step = new BackfillStep("copy", new TableRef("legacy", "orders"), null,
                new TableRef("target", "orders_v2"), List.of("id"), Map.of(), 10_000, 4, 500,
                BackfillRollback.DELETE_COPIED);
        Knobs untuned = Knobs.initial();
        Knobs tuned = untuned.tune(2_000, 0L, 2);
        Knobs chunkOnly = untuned.tune(3_000, null, null);

        assertThat(inForce(untuned, step)).containsExactly(10_000L, 500L, 4L);
        assertThat(inForce(tuned, step)).as("0 rows/s is the operator lifting the limit, not 'unset'")
                .containsExactly(2_000L, 0L, 2L);
        assertThat(inForce(chunkOnly, step)).containsExactly(3_000L, 500L, 4L);
        assertThat(chunkOnly.version()).isEqualTo(1);
        assertThat(Limits.either((Integer) null, 7)).isEqualTo(7);
        assertThat(Limits.either(3, 7)).isEqualTo(3);
    }

    /** Chunk rows, rows per second and parallelism in force for {@code step}. */
    private static List<Long> inForce(Knobs knobs, BackfillStep step) {
        return List.of((long) knobs.chunkRowsFor(step), knobs.rowsPerSecondFor(step), (long) knobs.parallelismFor(step));
    }
}
