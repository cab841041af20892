package org.runbooks.backfill.pgcopy;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading a row's key out of a COPY message, as PostgreSQL frames rows in text and in binary format. */
class PgCopyRowKeyTest {

    @Test
    void aTextRowsKeyFieldsAreUnescapedInKeyOrder() {
        PgCopyRowKey key = new PgCopyRowKey(PgCopyFormat.TEXT, new int[] {2, 0}, List.of("text", "int8"));
        byte[] row = "42\tignored\\tfield\ta\\tb\\\\c\\nd\\re\n".getBytes(StandardCharsets.UTF_8);

        assertThat(key.read(row)).containsExactly("a\tb\\c\nd\re", "42");
    }

    @Test
    void aTextMessageThatIsNoWholeRowOrHoldsANullKeyIsNotRead() {
        PgCopyRowKey key = new PgCopyRowKey(PgCopyFormat.TEXT, new int[] {1}, List.of("text"));

        assertThat(key.read("1\tpartial".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(key.read("1\t\\N\n".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(key.read(null)).isNull();
    }

    @Test
    void binaryKeysAreReadFromTheFirstRowBehindTheHeaderAndTheTrailerHoldsNone() throws IOException {
        UUID id = UUID.fromString("c4ca4238-a0b9-3382-8dcc-509a6f75849b");
        PgCopyRowKey key = new PgCopyRowKey(PgCopyFormat.BINARY, new int[] {0, 2, 3},
                List.of("int8", "uuid", "text"));
        byte[] first = binary(true, -7L, "é\tx", id);
        byte[] middle = binary(false, Long.MAX_VALUE, "plain", id);

        assertThat(key.read(first)).containsExactly("-7", id.toString(), "é\tx");
        assertThat(key.read(middle)).containsExactly(String.valueOf(Long.MAX_VALUE), id.toString(), "plain");
        assertThat(key.read(new byte[] {(byte) 0xff, (byte) 0xff})).as("the trailer").isNull();
        assertThat(key.read(java.util.Arrays.copyOf(middle, middle.length - 3))).as("a cut row").isNull();
    }

    @Test
    void binaryReadsOnlyKeyTypesWhoseTextFollowsFromTheirBytes() {
        assertThat(new PgCopyRowKey(PgCopyFormat.BINARY, new int[] {0}, List.of("int4")).readable()).isTrue();
        assertThat(new PgCopyRowKey(PgCopyFormat.BINARY, new int[] {0, 1}, List.of("int4", "numeric")).readable())
                .isFalse();
        assertThat(new PgCopyRowKey(PgCopyFormat.BINARY, new int[] {0}, List.of("timestamptz")).readable()).isFalse();
        assertThat(new PgCopyRowKey(PgCopyFormat.TEXT, new int[] {0}, List.of("timestamptz")).readable()).isTrue();
        assertThat(new PgCopyRowKey(PgCopyFormat.TEXT, new int[] {-1}, List.of("int4")).readable()).isFalse();
    }

    /** One row (int8, a null, uuid, text, int4) as COPY BINARY frames it, behind the file header when asked. */
    private static byte[] binary(boolean header, long number, String text, UUID id) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        if (header) {
            out.write("PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1));
            out.writeInt(0);
            out.writeInt(0);
        }
        out.writeShort(5);
        out.writeInt(8);
        out.writeLong(number);
        out.writeInt(-1);
        out.writeInt(16);
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
        out.writeInt(4);
        out.writeInt(3);
        return bytes.toByteArray();
    }
}
