package org.runbooks.backfill.pgcopy;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Reads a row's key, as text, out of one message of the source's {@code COPY ... TO STDOUT}, so a chunk copied with
 * {@code order by <key> limit <n>} names its first and last key (the checkpoint) from the rows it moved, without a
 * query that walks the chunk's keys once more before the copy. PostgreSQL sends one message per row (the binary
 * format's header rides on the first, its trailer comes alone after the last).
 *
 * <p>The text is the one a query returns for the key ({@code ResultSet.getString}), which the checkpoint has always
 * held: in text format it is the field the type's output function wrote, unescaped; in binary format only types whose
 * text follows from their bytes exactly are read (whole numbers, {@code uuid}, and the character types, which binary
 * sends in the client's encoding). For any other key type in binary, {@link #readable} is false and the chunk is
 * bounded by a query first, as before.
 */
final class PgCopyRowKey {

    /** Key types read from the binary format. */
    private static final Set<String> BINARY_READABLE = Set.of("int2", "int4", "int8", "uuid", "text", "varchar",
            "bpchar");
    /** The binary format's file header: the signature, then a 32-bit flags field and a header extension length. */
    private static final byte[] SIGNATURE = "PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1);

    private final PgCopyFormat format;
    private final int[] keyIndex;
    private final List<String> keyTypes;

    /**
     * @param keyIndex the position of each key column among the columns copied, in key order
     * @param keyTypes each key column's type name on the source, in key order
     */
    PgCopyRowKey(PgCopyFormat format, int[] keyIndex, List<String> keyTypes) {
        this.format = format;
        this.keyIndex = keyIndex.clone();
        this.keyTypes = List.copyOf(keyTypes);
    }

    /** Whether every key column can be read from this format's rows. */
    boolean readable() {
        for (int i : keyIndex) {
            if (i < 0) {
                return false;
            }
        }
        return format == PgCopyFormat.TEXT || BINARY_READABLE.containsAll(keyTypes);
    }

    /** The key of the row in {@code message}, or null when it holds no row (the binary trailer) or none it can read. */
    List<String> read(byte[] message) {
        if (message == null) {
            return null;
        }
        try {
            return format == PgCopyFormat.TEXT ? readText(message) : readBinary(message);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            return null;
        }
    }

    private List<String> readText(byte[] message) {
        if (message.length == 0 || message[message.length - 1] != '\n') {
            return null;
        }
        List<String> fields = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < message.length; i++) {
            if (message[i] == '\t' || message[i] == '\n') {
                fields.add(new String(message, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        List<String> key = new ArrayList<>(keyIndex.length);
        for (int i : keyIndex) {
            if (i >= fields.size()) {
                return null;
            }
            String value = unescape(fields.get(i));
            if (value == null) {
                return null;
            }
            key.add(value);
        }
        return key;
    }

    /** The value of a text-format field; null for {@code \N} (SQL null), which a key never is. */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        if (field.equals("\\N")) {
            return null;
        }
        StringBuilder value = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '\\' || i + 1 == field.length()) {
                value.append(c);
                continue;
            }
            char next = field.charAt(++i);
            switch (next) {
                case 'b' -> value.append('\b');
                case 'f' -> value.append('\f');
                case 'n' -> value.append('\n');
                case 'r' -> value.append('\r');
                case 't' -> value.append('\t');
                case 'v' -> value.append('\u000b');
                default -> value.append(next);
            }
        }
        return value.toString();
    }

    private List<String> readBinary(byte[] message) {
        ByteBuffer row = ByteBuffer.wrap(message);
        if (startsWithSignature(message)) {
            row.position(SIGNATURE.length + 4);
            int extension = row.getInt();
            row.position(row.position() + extension);
        }
        if (row.remaining() < 2) {
            return null;
        }
        int fieldCount = row.getShort();
        if (fieldCount < 0) {
            return null;
        }
        byte[][] values = new byte[fieldCount][];
        for (int f = 0; f < fieldCount; f++) {
            int length = row.getInt();
            if (length >= 0) {
                values[f] = new byte[length];
                row.get(values[f]);
            }
        }
        if (row.hasRemaining()) {
            return null;
        }
        List<String> key = new ArrayList<>(keyIndex.length);
        for (int k = 0; k < keyIndex.length; k++) {
            if (keyIndex[k] >= fieldCount || values[keyIndex[k]] == null) {
                return null;
            }
            key.add(binaryText(keyTypes.get(k), values[keyIndex[k]]));
        }
        return key;
    }

    private static String binaryText(String type, byte[] value) {
        ByteBuffer v = ByteBuffer.wrap(value);
        return switch (type) {
            case "int2" -> Short.toString(v.getShort());
            case "int4" -> Integer.toString(v.getInt());
            case "int8" -> Long.toString(v.getLong());
            case "uuid" -> new UUID(v.getLong(), v.getLong()).toString();
            default -> new String(value, StandardCharsets.UTF_8);
        };
    }

    private static boolean startsWithSignature(byte[] message) {
        if (message.length < SIGNATURE.length + 8) {
            return false;
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (message[i] != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }
}
