package dev.tangle.trace;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/** Decodes one chunk's payload; any malformation throws {@link Malformed}, which the reader turns into an error. */
final class PayloadReader {
    /** Thrown for bytes that do not decode; carries no offset, the reader adds the chunk's. */
    static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private final byte[] bytes;
    private int pos;
    private final int end;

    PayloadReader(byte[] bytes, int length) {
        this.bytes = bytes;
        this.end = length;
    }

    boolean hasMore() {
        return pos < end;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return end - pos;
    }

    int u8() {
        if (pos >= end) {
            throw new Malformed("payload ends inside a field");
        }
        return bytes[pos++] & 0xFF;
    }

    int u32() {
        return (u8() << 24) | (u8() << 16) | (u8() << 8) | u8();
    }

    long varLong() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = u8();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new Malformed("varint longer than 10 bytes");
    }

    int varInt() {
        long v = varLong();
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new Malformed("number out of range: " + v);
        }
        return (int) v;
    }

    long zigZag() {
        long v = varLong();
        return (v >>> 1) ^ -(v & 1);
    }

    String string() {
        int n = varInt();
        if (n == 0) {
            return null;
        }
        int len = n - 1;
        if (len > end - pos) {
            throw new Malformed("string longer than its chunk");
        }
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, pos, len)).toString();
            pos += len;
            return s;
        } catch (CharacterCodingException e) {
            throw new Malformed("string is not UTF-8");
        }
    }
}
