package org.runbooks.stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link StreamKillDrill} on PostgreSQL to PostgreSQL. */
class PgStreamKillIT {

    @Test
    void aWorkerKilledMidApplyLosesAndDoublesNothing() throws Exception {
        StreamPair pair = new StreamPair(StreamPair.Kind.POSTGRES, StreamPair.Kind.POSTGRES, "stream_pg_kill");
        StreamKillDrill.Figures figures = StreamKillDrill.run(pair, "run-kill/orders-stream", 5, 42);
        System.out.println("stream kill drill pg->pg: " + figures);
        assertThat(figures.digestsEqual()).isTrue();
    }
}
