package dev.tangle.model;

import java.io.IOException;
import java.io.InputStream;

/** The first {@code limit} bytes of a stream: a trace file read up to a point while its writer goes on. */
final class PrefixInputStream extends InputStream {
    private final InputStream in;
    private long left;

    PrefixInputStream(InputStream in, long limit) {
        this.in = in;
        this.left = limit;
    }

    @Override
    public int read() throws IOException {
        if (left <= 0) {
            return -1;
        }
        int b = in.read();
        if (b >= 0) {
            left--;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n > 0) {
            left -= n;
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
