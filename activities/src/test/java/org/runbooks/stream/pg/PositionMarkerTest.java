package org.runbooks.stream.pg;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When an applied offset has passed a marked position: by the change's own LSN or by the last whole transaction. */
class PositionMarkerTest {

    private final PgStreamSource source = new PgStreamSource();

    @Test
    void anOffsetAtOrPastThePositionHasReachedItAndOneBeforeHasNot() {
        long marker = Lsn.parse("0/1DA44D8");
        assertThat(source.reached("{\"lsn\":" + marker + ",\"lsn_proc\":" + (marker - 500) + "}", "0/1DA44D8"))
                .as("the marker itself, its transaction not yet wholly processed").isTrue();
        assertThat(source.reached("{\"lsn\":" + (marker - 1) + ",\"lsn_proc\":" + (marker + 80) + "}", "0/1DA44D8"))
                .as("a transaction that ended past it").isTrue();
        assertThat(source.reached("{\"lsn\":" + (marker - 1) + ",\"lsn_proc\":" + (marker - 200) + "}", "0/1DA44D8"))
                .isFalse();
        assertThat(source.reached("{\"lsn\":" + (marker - 1) + "}", "0/1DA44D8")).isFalse();
    }

    @Test
    void positionsPastTheFirstFourGigabytesCompareAsUnsignedNumbers() {
        assertThat(source.reached("{\"lsn\":" + Lsn.parse("1/0") + "}", "0/FFFFFFFF")).isTrue();
        assertThat(source.reached("{\"lsn\":" + Lsn.parse("0/FFFFFFFF") + "}", "1/0")).isFalse();
    }

    @Test
    void anOffsetThatCannotBeReadHasNotReachedAnything() {
        assertThat(source.reached("not json", "0/1")).isFalse();
        assertThat(source.reached("{}", "0/1")).isFalse();
    }
}
