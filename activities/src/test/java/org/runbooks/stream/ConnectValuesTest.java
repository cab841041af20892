package org.runbooks.stream;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectValuesTest {

    private static Schema named(String name, Schema.Type type) {
        return new SchemaBuilder(type).name(name).build();
    }

    @Test
    void debeziumTimesBecomeTheTypesABackfillReads() {
        assertThat(ConnectValues.toJdbc(named("io.debezium.time.Date", Schema.Type.INT32), 19_000))
                .isEqualTo(LocalDate.ofEpochDay(19_000));
        assertThat(ConnectValues.toJdbc(named("io.debezium.time.MicroTimestamp", Schema.Type.INT64),
                1_700_000_000_123_456L)).isEqualTo(LocalDateTime.parse("2023-11-14T22:13:20.123456"));
        assertThat(ConnectValues.toJdbc(named("io.debezium.time.MicroTimestamp", Schema.Type.INT64), -1L))
                .isEqualTo(LocalDateTime.parse("1969-12-31T23:59:59.999999"));
        assertThat(ConnectValues.toJdbc(named("io.debezium.time.ZonedTimestamp", Schema.Type.STRING),
                "2024-03-10T02:30:00.5Z")).isEqualTo(OffsetDateTime.parse("2024-03-10T02:30:00.5Z"));
        assertThat(ConnectValues.toJdbc(named("io.debezium.time.MicroTime", Schema.Type.INT64), 3_723_000_001L))
                .isEqualTo("01:02:03.000001");
        assertThat(ConnectValues.toJdbc(named("io.debezium.time.MicroTime", Schema.Type.INT64), -3_600_000_000L))
                .isEqualTo("-1:00:00.000000");
    }

    @Test
    void bytesArraysAndPlainValues() {
        assertThat((byte[]) ConnectValues.toJdbc(Schema.BYTES_SCHEMA, ByteBuffer.wrap(new byte[] {1, 2})))
                .containsExactly(1, 2);
        assertThat(ConnectValues.toJdbc(SchemaBuilder.array(Schema.STRING_SCHEMA).build(),
                List.of("a", "b\"c"))).isEqualTo("{\"a\",\"b\\\"c\"}");
        assertThat(ConnectValues.toJdbc(Schema.STRING_SCHEMA, "12.50")).isEqualTo("12.50");
        assertThat(ConnectValues.toJdbc(Schema.INT64_SCHEMA, null)).isNull();
    }

    @Test
    void theUnchangedToastPlaceholderIsRecognisedInEachForm() {
        assertThat(ConnectValues.unavailable(ConnectValues.UNAVAILABLE)).isTrue();
        assertThat(ConnectValues.unavailable(ByteBuffer.wrap(
                ConnectValues.UNAVAILABLE.getBytes(StandardCharsets.UTF_8)))).isTrue();
        assertThat(ConnectValues.unavailable(List.of(ConnectValues.UNAVAILABLE))).isTrue();
        assertThat(ConnectValues.unavailable("a value")).isFalse();
    }
}
