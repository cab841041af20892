package org.runbooks.stream.pg;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LsnTest {

    @Test
    void textAndNumberRoundTrip() {
        assertThat(Lsn.parse("16/B374D848")).isEqualTo((0x16L << 32) | 0xB374D848L);
        assertThat(Lsn.format(Lsn.parse("0/1EFF228"))).isEqualTo("0/1EFF228");
        assertThat(PgStreamSource.appliedLsn("{\"lsn\":100,\"lsn_proc\":120}")).isEqualTo(120);
        assertThat(PgStreamSource.appliedLsn("{\"lsn\":100}")).isEqualTo(100);
        assertThat(PgStreamSource.appliedLsn("not json")).isEqualTo(-1);
    }
}
