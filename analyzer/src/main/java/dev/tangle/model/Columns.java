package dev.tangle.model;

import java.util.Arrays;

/** Growable primitive columns, so that millions of intervals cost bytes each rather than objects. */
final class Columns {
    private Columns() {
    }

    static final class Longs {
        long[] a;
        int size;

        Longs(int capacity) {
            a = new long[Math.max(capacity, 4)];
        }

        void add(long v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[size++] = v;
        }

        void trim() {
            a = Arrays.copyOf(a, size);
        }
    }

    static final class Ints {
        int[] a;
        int size;

        Ints(int capacity) {
            a = new int[Math.max(capacity, 4)];
        }

        void add(int v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[size++] = v;
        }

        void trim() {
            a = Arrays.copyOf(a, size);
        }
    }

    static final class Bytes {
        byte[] a;
        int size;

        Bytes(int capacity) {
            a = new byte[Math.max(capacity, 4)];
        }

        void add(int v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[size++] = (byte) v;
        }

        void trim() {
            a = Arrays.copyOf(a, size);
        }
    }

    /**
     * Append-only columns in pages of 64K values: growing never copies, so buffering millions of events makes
     * no garbage. One page per column is allocated at a time.
     */
    static final class PagedLongs {
        private static final int SHIFT = 16;
        private static final int MASK = (1 << SHIFT) - 1;
        private long[][] pages = new long[4][];
        int size;

        void add(long v) {
            int page = size >>> SHIFT;
            if (page == pages.length) {
                pages = Arrays.copyOf(pages, pages.length * 2);
            }
            if (pages[page] == null) {
                pages[page] = new long[Math.min(1 << SHIFT, Math.max(64, size * 2))];
            } else if ((size & MASK) == pages[page].length) {
                pages[page] = Arrays.copyOf(pages[page], Math.min(1 << SHIFT, pages[page].length * 2));
            }
            pages[page][size & MASK] = v;
            size++;
        }

        long get(int i) {
            return pages[i >>> SHIFT][i & MASK];
        }
    }

    /** As {@link PagedLongs}, for ints. */
    static final class PagedInts {
        private static final int SHIFT = 16;
        private static final int MASK = (1 << SHIFT) - 1;
        private int[][] pages = new int[4][];
        int size;

        void add(int v) {
            int page = size >>> SHIFT;
            if (page == pages.length) {
                pages = Arrays.copyOf(pages, pages.length * 2);
            }
            if (pages[page] == null) {
                pages[page] = new int[Math.min(1 << SHIFT, Math.max(64, size * 2))];
            } else if ((size & MASK) == pages[page].length) {
                pages[page] = Arrays.copyOf(pages[page], Math.min(1 << SHIFT, pages[page].length * 2));
            }
            pages[page][size & MASK] = v;
            size++;
        }

        int get(int i) {
            return pages[i >>> SHIFT][i & MASK];
        }
    }
}
