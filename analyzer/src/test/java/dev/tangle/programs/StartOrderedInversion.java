package dev.tangle.programs;

/**
 * A lock-order inversion that start kept apart: "first" takes a then b, releases them, and only then starts
 * "second", which takes b then a. It cannot hang as written; two threads running these paths at once can.
 */
public final class StartOrderedInversion {
    public static void main(String[] args) throws InterruptedException {
        Object a = new Object();
        Object b = new Object();
        Thread second = new Thread(() -> {
            synchronized (b) {
                synchronized (a) {
                    Programs.pause(1);
                }
            }
        }, "second");
        Thread first = new Thread(() -> {
            synchronized (a) {
                synchronized (b) {
                    Programs.pause(1);
                }
            }
            second.start();
        }, "first");
        first.start();
        first.join();
        second.join();
    }
}
