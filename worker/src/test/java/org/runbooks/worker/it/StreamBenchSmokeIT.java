package org.runbooks.worker.it;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The change-capture benchmark ({@code bench/stream.sh}, README's Benchmark section) at its smallest: scale 1
 * (10,000 pgbench transactions, 40,001 changes) and 5 s of steady load, on the cluster it starts itself, with the
 * worker jar this build packaged. It must finish green (it fails when a target differs from the source) and write
 * its report with both catch-ups, their ratio and the lag table. About a minute; the figures are not judged here.
 */
class StreamBenchSmokeIT {

    @Test
    void streamBenchRunsAtScaleOne() throws Exception {
        assertThat(BenchScript.report("stream.sh", "stream-bench-it", "-stream-scale1.md", Duration.ofMinutes(5),
                "--scale", "1", "--seconds", "5"))
                .contains("| catch-up, native logical replication | ")
                .contains("| catch-up, ours (4 stream(s)) | ")
                .contains("| catch-up rate, ours vs native logical replication | ")
                .contains("| ours (newest row age behind the source) | ")
                .contains("every streamed table of both targets equals the source");
    }
}
