package dev.tangle.samples.livelock;

import dev.tangle.samples.Pause;

import java.util.concurrent.Phaser;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hallway livelock: Alice and Bob meet in a narrow hallway. To get by, each steps out to a side and looks
 * across to see if the way past is clear; it never is, because the other has stepped out at the same moment and
 * stands there. So both step back, and out again, to the same cadence, for ever: busy, polite, and going nowhere.
 * As in Go's version, the cadence is shared: a {@link Phaser} both wait on before they look and before they step.
 *
 * <p>In lock terms: each person holds the side they stand on ({@code lock()}), tries the other side
 * ({@code tryLock()}, which fails: the other holds it), lets go and takes it again on the next beat. They give up
 * after {@value #STEPS} steps (about half a second).
 *
 * <p>{@link HallwayWithBackoff} is the remedy: after a failed look, stay back a random number of beats.
 */
public final class Hallway {
    static final int STEPS = 150;

    private Hallway() {
    }

    /**
     * Walks until past the other person or out of patience; {@code maxBackoffBeats} 0 is the polite lockstep,
     * more is the remedy.
     */
    static void walk(ReentrantLock mySide, ReentrantLock otherSide, Phaser cadence, int maxBackoffBeats) {
        String me = Thread.currentThread().getName();
        int stayBack = 0;
        mySide.lock(); // step out
        boolean out = true;
        for (int step = 1; step <= STEPS; step++) {
            cadence.arriveAndAwaitAdvance(); // the beat: both look across now
            if (out && otherSide.tryLock()) { // the way past is clear: go by
                otherSide.unlock();
                mySide.unlock();
                cadence.arriveAndDeregister();
                System.out.println(me + " got by after " + step + " steps");
                return;
            }
            cadence.arriveAndAwaitAdvance(); // the off-beat: both step now
            if (out) {
                mySide.unlock(); // step back...
                out = false;
                stayBack = maxBackoffBeats == 0 ? 0 : ThreadLocalRandom.current().nextInt(maxBackoffBeats + 1);
            }
            if (stayBack-- <= 0) {
                mySide.lock(); // ...and out again
                out = true;
            }
            Pause.millis(2); // a step takes a moment
        }
        if (out) {
            mySide.unlock();
        }
        cadence.arriveAndDeregister();
        System.out.println(me + " gave up after " + STEPS + " steps");
    }

    static void meet(int maxBackoffBeats) throws InterruptedException {
        ReentrantLock left = new ReentrantLock();
        ReentrantLock right = new ReentrantLock();
        Phaser cadence = new Phaser(2);
        Thread alice = new Thread(() -> walk(left, right, cadence, maxBackoffBeats), "alice");
        Thread bob = new Thread(() -> walk(right, left, cadence, maxBackoffBeats), "bob");
        alice.start();
        bob.start();
        alice.join();
        bob.join();
    }

    public static void main(String[] args) throws InterruptedException {
        meet(0);
    }
}
