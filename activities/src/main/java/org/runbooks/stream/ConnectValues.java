package org.runbooks.stream;

import org.apache.kafka.connect.data.Schema;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the values of Debezium's change events (Kafka Connect values, with Debezium's semantic type names) into
 * what the dialects bind, the same Java types a backfill reads from the source: {@link LocalDate},
 * {@link LocalDateTime} for a timestamp without zone, {@link OffsetDateTime} for one with, text for a time of day,
 * decimals as text (the engine runs with {@code decimal.handling.mode=string}, so no digit is lost), bytes as
 * {@code byte[]}. Text that PostgreSQL must read as the column's type (json, uuid, enum, numeric) goes untyped
 * through the dialect.
 */
final class ConnectValues {

    /**
     * What Debezium puts in place of a value the source did not send: an unchanged TOAST value of a PostgreSQL
     * update (its default {@code unavailable.value.placeholder}). Such a column is left as it is on the target.
     */
    static final String UNAVAILABLE = "__debezium_unavailable_value";
    private static final byte[] UNAVAILABLE_BYTES = UNAVAILABLE.getBytes(StandardCharsets.UTF_8);

    private ConnectValues() {
    }

    /** Whether {@code value} is the placeholder of a value the source did not send. */
    static boolean unavailable(Object value) {
        if (value instanceof String s) {
            return s.equals(UNAVAILABLE);
        }
        if (value instanceof ByteBuffer b) {
            return b.remaining() == UNAVAILABLE_BYTES.length && ByteBuffer.wrap(UNAVAILABLE_BYTES).equals(b);
        }
        if (value instanceof byte[] b) {
            return Arrays.equals(b, UNAVAILABLE_BYTES);
        }
        if (value instanceof List<?> list) {
            return list.size() == 1 && unavailable(list.get(0));
        }
        return false;
    }

    /** The value to bind for a field of this schema. */
    static Object toJdbc(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        String name = schema.name();
        if (name != null) {
            switch (name) {
                case "io.debezium.time.Date", "org.apache.kafka.connect.data.Date" -> {
                    return value instanceof java.util.Date d
                            ? LocalDate.ofInstant(d.toInstant(), ZoneOffset.UTC)
                            : LocalDate.ofEpochDay(((Number) value).longValue());
                }
                case "io.debezium.time.Timestamp" -> {
                    return LocalDateTime.ofInstant(Instant.ofEpochMilli(((Number) value).longValue()), ZoneOffset.UTC);
                }
                case "io.debezium.time.MicroTimestamp" -> {
                    long micros = ((Number) value).longValue();
                    return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                            (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
                }
                case "io.debezium.time.NanoTimestamp" -> {
                    long nanos = ((Number) value).longValue();
                    return LocalDateTime.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
                            (int) Math.floorMod(nanos, 1_000_000_000L), ZoneOffset.UTC);
                }
                case "io.debezium.time.ZonedTimestamp" -> {
                    return OffsetDateTime.parse(value.toString());
                }
                case "io.debezium.time.Time" -> {
                    return LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000_000L).toString();
                }
                case "io.debezium.time.MicroTime" -> {
                    long micros = ((Number) value).longValue();
                    return micros >= 0 && micros < 86_400_000_000L ? LocalTime.ofNanoOfDay(micros * 1000).toString()
                            : durationText(micros);
                }
                case "io.debezium.time.NanoTime" -> {
                    return LocalTime.ofNanoOfDay(((Number) value).longValue()).toString();
                }
                case "io.debezium.time.ZonedTime" -> {
                    return value.toString();
                }
                case "org.apache.kafka.connect.data.Timestamp" -> {
                    return LocalDateTime.ofInstant(((java.util.Date) value).toInstant(), ZoneOffset.UTC);
                }
                default -> {
                    // json, uuid, xml, enum, bits, decimal as text: fall through to the plain value
                }
            }
        }
        if (value instanceof ByteBuffer b) {
            byte[] bytes = new byte[b.remaining()];
            b.duplicate().get(bytes);
            return bytes;
        }
        if (value instanceof List<?> list) {
            // A PostgreSQL array: its text form, which the server reads as the column's array type.
            StringBuilder text = new StringBuilder("{");
            for (int i = 0; i < list.size(); i++) {
                Object element = list.get(i);
                text.append(i == 0 ? "" : ",").append(element == null ? "NULL"
                        : "\"" + element.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
            }
            return text.append('}').toString();
        }
        return value;
    }

    /** A MariaDB {@code time} outside one day ({@code -838:59:59} to {@code 838:59:59}), as the server writes it. */
    private static String durationText(long micros) {
        String sign = micros < 0 ? "-" : "";
        long m = Math.abs(micros);
        long seconds = m / 1_000_000;
        return String.format("%s%d:%02d:%02d.%06d", sign, seconds / 3600, seconds / 60 % 60, seconds % 60,
                m % 1_000_000);
    }
}
