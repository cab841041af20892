package org.runbooks.stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamNamesTest {

    @Test
    void namesAreLegalForPostgresAndStableAndDistinctPerStream() {
        StreamNames a = StreamNames.of("rb-orders/7f3c-RUN/orders-stream");
        assertThat(a.slot()).matches("runbooks_[a-z0-9_]+").hasSizeLessThanOrEqualTo(63);
        assertThat(StreamNames.of("rb-orders/7f3c-RUN/orders-stream")).isEqualTo(a);
        assertThat(StreamNames.of("rb-orders/7f3c-run/orders-stream").slot()).isNotEqualTo(a.slot());
        assertThat(a.serverId()).isBetween(1_000_000L, 1_001_000_000L);
    }

    @Test
    void aLongIdKeepsItsEndAndTheLimit() {
        StreamNames n = StreamNames.of("x".repeat(200) + "/the-step");
        assertThat(n.slot()).hasSizeLessThanOrEqualTo(63).contains("the_step");
    }

    @Test
    void anEmptyIdIsRefused() {
        assertThatThrownBy(() -> StreamNames.of(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
