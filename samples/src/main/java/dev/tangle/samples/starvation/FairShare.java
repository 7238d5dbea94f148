package dev.tangle.samples.starvation;

import dev.tangle.samples.Pause;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The remedy for {@link GreedyAndPolite}: a fair lock (the longest waiter goes next) and a greedy worker that
 * holds it only for the part of its work unit that touches shared state. Both workers now get their turn.
 */
public final class FairShare {
    private FairShare() {
    }

    public static void main(String[] args) throws InterruptedException {
        ReentrantLock shared = new ReentrantLock(true);
        AtomicBoolean done = new AtomicBoolean();
        int[] units = new int[2];
        Thread greedy = new Thread(() -> {
            while (!done.get()) {
                Pause.millis(3); // the work itself needs no lock
                shared.lock();
                try {
                    units[0]++; // only the result is shared
                } finally {
                    shared.unlock();
                }
            }
        }, "greedy");
        Thread polite = new Thread(() -> {
            while (!done.get()) {
                for (int i = 0; i < 3; i++) {
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
        Pause.millis(20);
        polite.start();
        Pause.millis(GreedyAndPolite.RUN_MILLIS);
        done.set(true);
        greedy.join();
        polite.join();
        System.out.println("in " + GreedyAndPolite.RUN_MILLIS + " ms the greedy worker did " + units[0]
                + " work units, the polite one " + units[1] / 3);
    }
}
