package org.runbooks.backfill;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chunk size latency asks for: halved after a slow chunk, grown back by tenths to the configured size, and, where
 * the copy may grow past it, on toward the size that takes {@link ChunkLatency#FAST}, at most doubling per chunk.
 */
class ChunkLatencyTest {

    private static final long MILLI = 1_000_000L;

    @Test
    void fastFullChunksGrowPastTheConfiguredSizeTowardTheTimeAChunkAimsFor() {
        ChunkLatency latency = new ChunkLatency(null);
        int ceiling = ChunkLatency.grownCeiling(10_000);
        List<Integer> sizes = new ArrayList<>();
        int rows = latency.cap(10_000, ceiling, ceiling);
        // Rows cost 2.5 µs each: 200,000 rows take the 0.5 s a chunk aims for.
        for (int i = 0; i < 8; i++) {
            sizes.add(rows);
            latency.timed(rows, rows * 2_500L);
            rows = latency.cap(10_000, ceiling, ceiling);
        }

        assertThat(ceiling).isEqualTo(640_000);
        assertThat(sizes).containsExactly(10_000, 20_000, 40_000, 80_000, 160_000, 200_000, 200_000, 200_000);
    }

    @Test
    void growthStopsAtTheCeilingAndAtTheMostAChunkMaySay() {
        ChunkLatency latency = new ChunkLatency(null);
        int rows = 0;
        for (int i = 0; i < 12; i++) {
            rows = latency.cap(10_000, ChunkLatency.grownCeiling(10_000), Integer.MAX_VALUE);
            latency.timed(rows, MILLI);
        }

        assertThat(rows).isEqualTo(640_000);
        assertThat(ChunkLatency.grownCeiling(100_000)).isEqualTo(ChunkLatency.MOST_ROWS);
        assertThat(ChunkLatency.grownCeiling(1_000_000)).isEqualTo(1_000_000);
    }

    @Test
    void withoutRoomToGrowAFastChunkKeepsTheConfiguredSize() {
        ChunkLatency latency = new ChunkLatency(null);
        for (int i = 0; i < 5; i++) {
            latency.timed(latency.cap(10_000, 10_000, 10_000), MILLI);
        }

        assertThat(latency.cap(10_000, 10_000, 10_000)).isEqualTo(10_000);
    }

    @Test
    void aRangesShortLastChunkDoesNotMoveTheSize() {
        ChunkLatency latency = new ChunkLatency(null);
        int rows = latency.cap(10_000, 640_000, 640_000);

        assertThat(latency.timed(37, MILLI)).isEqualTo(rows);
    }

    @Test
    void aSlowChunkHalvesTheSizeAndFastOnesDoubleItAgain() {
        ChunkLatency latency = new ChunkLatency(40_000);
        int ceiling = ChunkLatency.grownCeiling(10_000);
        List<Integer> sizes = new ArrayList<>();
        int rows = latency.cap(10_000, ceiling, ceiling);
        sizes.add(rows);
        latency.timed(rows, 3_000 * MILLI);
        for (int i = 0; i < 4; i++) {
            rows = latency.cap(10_000, ceiling, ceiling);
            sizes.add(rows);
            latency.timed(rows, 100 * MILLI);
        }

        assertThat(sizes).as("resumed at 40,000, halved by a 3 s chunk, grown at most twofold by 0.1 s chunks")
                .containsExactly(40_000, 20_000, 40_000, 80_000, 160_000);
    }

    @Test
    void aPacedCopyResumedAtAGrownSizeStartsAtTheConfiguredSize() {
        ChunkLatency latency = new ChunkLatency(200_000);

        assertThat(latency.cap(10_000, 10_000, 10_000)).isEqualTo(10_000);
    }

    @Test
    void belowTheConfiguredSizeAFastChunkAddsATenthOfIt() {
        ChunkLatency latency = new ChunkLatency(1_000);
        int rows = latency.cap(10_000, 640_000, 640_000);
        latency.timed(rows, 10 * MILLI);

        assertThat(latency.cap(10_000, 640_000, 640_000)).isEqualTo(2_000);
    }
}
