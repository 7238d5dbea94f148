package dev.tangle.agent.bootstrap;

import java.util.Arrays;

/** Every thread recorder with events the writer may still have to drain. */
final class Registry {
    private static final Object LOCK = new Object();
    private static ThreadRecorder[] recorders = new ThreadRecorder[64];
    private static int size;

    private Registry() {
    }

    static void add(ThreadRecorder r) {
        synchronized (LOCK) {
            if (size == recorders.length) {
                recorders = Arrays.copyOf(recorders, size * 2);
            }
            recorders[size++] = r;
        }
    }

    static ThreadRecorder[] snapshot() {
        synchronized (LOCK) {
            return Arrays.copyOf(recorders, size);
        }
    }

    /** Forgets recorders of ended threads whose events have all been written. */
    static void removeFinished() {
        synchronized (LOCK) {
            int j = 0;
            for (int i = 0; i < size; i++) {
                ThreadRecorder r = recorders[i];
                if (!r.isFinished()) {
                    recorders[j++] = r;
                }
            }
            Arrays.fill(recorders, j, size, null);
            size = j;
        }
    }
}
