package dev.tangle.programs;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Rounds of lock traffic on demand: for each line "round" on stdin, two threads each lock and unlock a
 * ReentrantLock {@link #PER_THREAD} times (about a microsecond apart), and offer and poll a queue
 * {@link #QUEUE_PER_THREAD} times (calls that never block: paired records in the trace), then "round N done" is
 * printed; "end" (or the end of stdin) ends the program. A test drives it to have events flow while it does
 * something to the live collector.
 */
public final class LockRounds {
    public static final int PER_THREAD = 100_000;
    public static final int THREADS = 2;
    public static final int QUEUE_PER_THREAD = 2_000;

    public static void main(String[] args) throws Exception {
        ReentrantLock lock = new ReentrantLock();
        LinkedBlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
        long[] counter = new long[1];
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        int rounds = 0;
        for (String line = in.readLine(); line != null && line.equals("round"); line = in.readLine()) {
            Thread[] threads = new Thread[THREADS];
            for (int i = 0; i < THREADS; i++) {
                threads[i] = new Thread(() -> {
                    Programs.holdRepeatedly(lock, counter, PER_THREAD);
                    for (int k = 0; k < QUEUE_PER_THREAD; k++) {
                        queue.offer(k);
                        queue.poll();
                    }
                }, "round" + rounds + "-" + i);
                threads[i].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            rounds++;
            System.out.println("round " + rounds + " done, counter " + counter[0]);
        }
    }
}
