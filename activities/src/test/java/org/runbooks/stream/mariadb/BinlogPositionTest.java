package org.runbooks.stream.mariadb;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Binlog positions order by file number, then byte position; an applied offset reaches a marked position. */
class BinlogPositionTest {

    private final MariaDbStreamSource source = new MariaDbStreamSource();

    @Test
    void positionsOrderByFileNumberThenByPosition() {
        MariaDbStreamSource.BinlogPosition a = MariaDbStreamSource.BinlogPosition.parse("mariadb-bin.000009:900");
        MariaDbStreamSource.BinlogPosition b = MariaDbStreamSource.BinlogPosition.parse("mariadb-bin.000010:4");
        assertThat(a).isLessThan(b);
        assertThat(b.toString()).isEqualTo("mariadb-bin.000010:4");
        assertThat(MariaDbStreamSource.BinlogPosition.parse("mariadb-bin.1000000:4")).isGreaterThan(b);
    }

    @Test
    void anOffsetAtOrPastThePositionHasReachedIt() {
        assertThat(source.reached("{\"file\":\"mariadb-bin.000002\",\"pos\":1200}", "mariadb-bin.000002:1200"))
                .isTrue();
        assertThat(source.reached("{\"file\":\"mariadb-bin.000003\",\"pos\":4}", "mariadb-bin.000002:1200")).isTrue();
        assertThat(source.reached("{\"file\":\"mariadb-bin.000002\",\"pos\":1199}", "mariadb-bin.000002:1200"))
                .isFalse();
        assertThat(source.reached("{}", "mariadb-bin.000002:1200")).isFalse();
    }
}
