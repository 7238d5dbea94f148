package dev.tangle.model;

import java.util.Arrays;

/**
 * One thread's events while the model is built, row by row in pages of longs: time, object, value, kind and flags
 * with the site, stack with the text. The replay merges hundreds of threads and takes a few events of one before
 * moving to the next, so an event's fields sit side by side (one or two cache lines) rather than in seven columns
 * each read from its own place in memory.
 */
final class EventRows {
    private static final int STRIDE = 5;
    private static final int SHIFT = 13; // events per page
    private static final int MASK = (1 << SHIFT) - 1;
    private static final int PAGE = STRIDE << SHIFT;

    final long threadId;
    private long[][] pages = new long[4][];
    int size;
    /** The next event to replay. */
    int next;

    EventRows(long threadId) {
        this.threadId = threadId;
    }

    /**
     * Appends an event; {@code kindAndFlags} (kind ordinal, 16 bits of flags above it), site, stack and text are
     * indices.
     */
    void add(long time, long object, long value, int kindAndFlags, int site, int stack, int text) {
        int page = size >>> SHIFT;
        if (page == pages.length) {
            pages = Arrays.copyOf(pages, pages.length * 2);
        }
        int at = (size & MASK) * STRIDE;
        long[] p = pages[page];
        if (p == null) {
            p = new long[Math.min(PAGE, STRIDE * 64)];
            pages[page] = p;
        } else if (at == p.length) {
            p = Arrays.copyOf(p, Math.min(PAGE, p.length * 2));
            pages[page] = p;
        }
        p[at] = time;
        p[at + 1] = object;
        p[at + 2] = value;
        p[at + 3] = (long) kindAndFlags << 32 | (site & 0xFFFFFFFFL);
        p[at + 4] = (long) stack << 32 | (text & 0xFFFFFFFFL);
        size++;
    }

    long time(int i) {
        return pages[i >>> SHIFT][(i & MASK) * STRIDE];
    }

    long object(int i) {
        return pages[i >>> SHIFT][(i & MASK) * STRIDE + 1];
    }

    long value(int i) {
        return pages[i >>> SHIFT][(i & MASK) * STRIDE + 2];
    }

    int kindAndFlags(int i) {
        return (int) (pages[i >>> SHIFT][(i & MASK) * STRIDE + 3] >>> 32);
    }

    int site(int i) {
        return (int) pages[i >>> SHIFT][(i & MASK) * STRIDE + 3];
    }

    int stack(int i) {
        return (int) (pages[i >>> SHIFT][(i & MASK) * STRIDE + 4] >>> 32);
    }

    int text(int i) {
        return (int) pages[i >>> SHIFT][(i & MASK) * STRIDE + 4];
    }
}
