package org.runbooks.worker.it;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backfill benchmark ({@code bench/run.sh}, README's Benchmark section) at its smallest: scale 1 (100,000
 * pgbench_accounts rows) on the services it starts itself, with the worker jar this build packaged. It must finish
 * green (it fails when a copy differs from its source or a comparison names other keys than the three it changed)
 * and write its report with every copy, its CPU-seconds and the ratios against the targets. A few minutes; the
 * figures are not judged here.
 */
class BackfillBenchSmokeIT {

    @Test
    void backfillBenchRunsAtScaleOne() throws Exception {
        assertThat(BenchScript.report("run.sh", "backfill-bench-it", "-scale1.md", Duration.ofMinutes(10),
                "--scale", "1"))
                .contains("| raw COPY pipe (psql to psql) | ")
                .contains("| backfill, parallelism 1 | ")
                .contains("| backfill, parallelism 4 | ")
                .containsPattern("\\| backfill, parallelism 1 \\|[^\\n]*databases [0-9.]+ \\+ worker [0-9.]+ \\+ Temporal")
                .contains("| backfill, parallelism 1 vs raw COPY pipe (rows/s) | ")
                .contains("| CPU-seconds, backfill, parallelism 1 vs raw COPY pipe | ")
                .contains("| validation, runbook | ");
    }
}
