package org.runbooks.gate;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads and writes the length-prefixed strings of the SSH wire format (RFC 4251, section 5). */
final class SshWire {

    private final byte[] data;
    private int at;

    SshWire(byte[] data) {
        this.data = data;
    }

    byte[] raw(int length) {
        if (length < 0 || at + length > data.length) {
            throw new IllegalArgumentException("truncated: wanted " + length + " bytes at offset " + at + " of "
                    + data.length);
        }
        byte[] out = Arrays.copyOfRange(data, at, at + length);
        at += length;
        return out;
    }

    int uint32() {
        byte[] b = raw(4);
        long value = ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("length " + value + " is out of range");
        }
        return (int) value;
    }

    byte[] bytes() {
        return raw(uint32());
    }

    String text() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    boolean done() {
        return at == data.length;
    }

    static byte[] string(byte[] value) {
        byte[] out = new byte[4 + value.length];
        out[0] = (byte) (value.length >>> 24);
        out[1] = (byte) (value.length >>> 16);
        out[2] = (byte) (value.length >>> 8);
        out[3] = (byte) value.length;
        System.arraycopy(value, 0, out, 4, value.length);
        return out;
    }

    static byte[] string(String value) {
        return string(value.getBytes(StandardCharsets.UTF_8));
    }
}
