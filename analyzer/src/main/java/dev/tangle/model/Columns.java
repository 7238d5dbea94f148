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
}
