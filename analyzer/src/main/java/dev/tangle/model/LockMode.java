package dev.tangle.model;

import dev.tangle.trace.EventFlags;

/** How a lock is held or asked for. Monitors and plain locks are {@link #EXCLUSIVE}. */
public enum LockMode {
    EXCLUSIVE, READ, WRITE;

    private static final LockMode[] VALUES = values();

    public static LockMode ofFlags(int flags) {
        if ((flags & EventFlags.READ) != 0) {
            return READ;
        }
        return (flags & EventFlags.WRITE) != 0 ? WRITE : EXCLUSIVE;
    }

    static LockMode ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }

    /** True when a holder in this mode keeps a requester in {@code other} mode out (only two reads share). */
    public boolean conflicts(LockMode other) {
        return !(this == READ && other == READ);
    }
}
