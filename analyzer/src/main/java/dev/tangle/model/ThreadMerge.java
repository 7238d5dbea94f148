package dev.tangle.model;

/**
 * The k-way merge of the replay: a binary min-heap of thread indices keyed by the time of each thread's next event
 * (ties: the lower index, the thread seen first). The keys sit in a primitive array next to the indices, so a
 * comparison reads no event columns: with hundreds of threads whose events interleave closely, the heap is touched
 * once per few events and its comparisons were most of the replay's time.
 */
final class ThreadMerge {
    private final int[] threads;
    private final long[] times;
    private int size;

    ThreadMerge(int capacity) {
        threads = new int[capacity];
        times = new long[capacity];
    }

    boolean isEmpty() {
        return size == 0;
    }

    void add(int thread, long time) {
        int i = size++;
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (!before(thread, time, threads[p], times[p])) {
                break;
            }
            threads[i] = threads[p];
            times[i] = times[p];
            i = p;
        }
        threads[i] = thread;
        times[i] = time;
    }

    /** The thread whose next event comes first. */
    int top() {
        return threads[0];
    }

    /** The earliest next event of any thread but the top one ({@link Long#MAX_VALUE} if none). */
    long nextTimeOfOthers() {
        long limit = size > 1 ? times[1] : Long.MAX_VALUE;
        return size > 2 ? Math.min(limit, times[2]) : limit;
    }

    /** The top thread's next event is now at {@code time}. */
    void replaceTop(long time) {
        siftDown(threads[0], time);
    }

    /** The top thread has no events left. */
    void removeTop() {
        size--;
        if (size > 0) {
            siftDown(threads[size], times[size]);
        }
    }

    private void siftDown(int thread, long time) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                break;
            }
            int child = l;
            if (l + 1 < size && before(threads[l + 1], times[l + 1], threads[l], times[l])) {
                child = l + 1;
            }
            if (!before(threads[child], times[child], thread, time)) {
                break;
            }
            threads[i] = threads[child];
            times[i] = times[child];
            i = child;
        }
        threads[i] = thread;
        times[i] = time;
    }

    private static boolean before(int x, long tx, int y, long ty) {
        return tx < ty || (tx == ty && x < y);
    }
}
