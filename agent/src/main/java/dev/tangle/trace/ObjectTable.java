package dev.tangle.trace;

/**
 * The reader's objects by id: an open-addressing map from {@code long} to {@link ObjectInfo} without boxing, since
 * the reader looks up the object of nearly every event (a boxed {@code HashMap} lookup was a sixth of loading).
 */
final class ObjectTable {
    private long[] keys = new long[64];
    private ObjectInfo[] values = new ObjectInfo[64];
    private int size;
    /** The entry for id 0, which marks a free slot in {@link #keys}. */
    private ObjectInfo zero;

    /** The object with this id, or null. */
    ObjectInfo get(long id) {
        if (id == 0) {
            return zero;
        }
        int mask = keys.length - 1;
        for (int i = mix(id) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == id) {
                return values[i];
            }
            if (k == 0) {
                return null;
            }
        }
    }

    /** Adds or replaces the object with this id. */
    void put(long id, ObjectInfo info) {
        if (id == 0) {
            zero = info;
            return;
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        for (int i = mix(id) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == id) {
                values[i] = info;
                return;
            }
            if (keys[i] == 0) {
                keys[i] = id;
                values[i] = info;
                size++;
                return;
            }
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        ObjectInfo[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new ObjectInfo[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int mix(long id) {
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
