package dev.tangle.trace;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer with the format's primitive encodings (LEB128 varints, zig-zag, UTF-8 strings). */
final class ChunkBuffer {
    private byte[] bytes = new byte[4096];
    private int size;

    int size() {
        return size;
    }

    byte[] array() {
        return bytes;
    }

    void reset() {
        size = 0;
    }

    void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    void u8(int v) {
        ensure(1);
        bytes[size++] = (byte) v;
    }

    void u8Unchecked(int v) {
        bytes[size++] = (byte) v;
    }

    void u32(int v) {
        ensure(4);
        bytes[size++] = (byte) (v >>> 24);
        bytes[size++] = (byte) (v >>> 16);
        bytes[size++] = (byte) (v >>> 8);
        bytes[size++] = (byte) v;
    }

    void putU32At(int pos, int v) {
        bytes[pos] = (byte) (v >>> 24);
        bytes[pos + 1] = (byte) (v >>> 16);
        bytes[pos + 2] = (byte) (v >>> 8);
        bytes[pos + 3] = (byte) v;
    }

    /** Unsigned LEB128. */
    void varLong(long v) {
        ensure(10);
        varLongUnchecked(v);
    }

    /** Unsigned LEB128 into room the caller has ensured. */
    void varLongUnchecked(long v) {
        if ((v & ~0x7FL) == 0) {
            bytes[size++] = (byte) v; // most deltas, ids and sites
            return;
        }
        while ((v & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        bytes[size++] = (byte) v;
    }

    void zigZag(long v) {
        varLong((v << 1) ^ (v >> 63));
    }

    void string(String s) {
        if (s == null) {
            varLong(0);
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        varLong(utf8.length + 1L);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, bytes, size, utf8.length);
        size += utf8.length;
    }
}
