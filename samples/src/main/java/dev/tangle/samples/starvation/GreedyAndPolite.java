package dev.tangle.samples.starvation;

import dev.tangle.samples.Pause;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Go's greedy and polite workers: both need the same shared lock. The greedy one takes it for its whole work
 * unit (3 ms) and, the moment it lets go, takes it back; the polite one takes it only when it needs it, for a
 * moment. The lock is not fair: the greedy worker, already running, grabs it again before the waiting polite one
 * has even woken up, so over the same 1.5 s the greedy one does far more work and the polite one waits.
 *
 * <p>{@link FairShare} is the remedy: a fair lock and short critical sections.
 */
public final class GreedyAndPolite {
    static final long RUN_MILLIS = 1500;

    private GreedyAndPolite() {
    }

    public static void main(String[] args) throws InterruptedException {
        ReentrantLock shared = new ReentrantLock(); // unfair: a running thread can barge ahead of waiting ones
        AtomicBoolean done = new AtomicBoolean();
        int[] units = new int[2];
        Thread greedy = new Thread(() -> {
            while (!done.get()) {
                shared.lock();
                try {
                    Pause.millis(3); // the whole work unit, under the lock
                    units[0]++;
                } finally {
                    shared.unlock();
                }
            }
        }, "greedy");
        Thread polite = new Thread(() -> {
            while (!done.get()) {
                for (int i = 0; i < 3; i++) { // only the three moments it needs the shared state
                    shared.lock();
                    try {
                        units[1]++;
                    } finally {
                        shared.unlock();
                    }
                    Pause.millis(1);
                }
            }
        }, "polite");
        greedy.start();
        Pause.millis(20); // the greedy one gets there first
        polite.start();
        Pause.millis(RUN_MILLIS);
        done.set(true);
        greedy.join();
        polite.join();
        System.out.println("in " + RUN_MILLIS + " ms the greedy worker did " + units[0]
                + " work units, the polite one " + units[1] / 3);
    }
}
