package dev.tangle.programs;

import java.util.concurrent.Phaser;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A livelock: each thread holds its own lock, tries the other's, fails, lets go and takes its own again, 150
 * times (about 400 ms). Both are busy the whole time and neither ever gets both locks. The two keep in step on a
 * shared beat (a {@link Phaser}), as polite people in a hallway do: both hold their own lock when they try the
 * other's, so the try fails every time whatever the scheduler does (without the beat, a loaded machine lets one
 * of them slip through now and then, and the program is no longer a livelock).
 */
public final class PoliteLivelock {
    static final int ROUNDS = 150;

    public static void main(String[] args) throws InterruptedException {
        ReentrantLock left = new ReentrantLock();
        ReentrantLock right = new ReentrantLock();
        Phaser beat = new Phaser(2);
        Thread a = new Thread(() -> polite(left, right, beat), "polite-left");
        Thread b = new Thread(() -> polite(right, left, beat), "polite-right");
        a.start();
        b.start();
        Programs.join(a, b);
    }

    private static void polite(ReentrantLock mine, ReentrantLock theirs, Phaser beat) {
        for (int round = 0; round < ROUNDS; round++) {
            mine.lock();
            try {
                beat.arriveAndAwaitAdvance(); // both hold their own lock now
                if (theirs.tryLock()) {
                    theirs.unlock(); // cannot happen: the other lets go only after the next beat
                }
                beat.arriveAndAwaitAdvance(); // both have tried
            } finally {
                mine.unlock();
            }
            Programs.pause(2);
        }
        beat.arriveAndDeregister();
    }
}
