package dev.tangle.programs;

/**
 * A lock-order inversion that join kept apart: "first" takes a then b, main joins it, and only then starts
 * "second", which takes b then a. It cannot hang as written; two threads running these paths at once can.
 */
public final class JoinOrderedInversion {
    public static void main(String[] args) throws InterruptedException {
        Object a = new Object();
        Object b = new Object();
        Thread first = new Thread(() -> {
            synchronized (a) {
                synchronized (b) {
                    Programs.pause(1);
                }
            }
        }, "first");
        first.start();
        first.join();
        Thread second = new Thread(() -> {
            synchronized (b) {
                synchronized (a) {
                    Programs.pause(1);
                }
            }
        }, "second");
        second.start();
        second.join();
    }
}
