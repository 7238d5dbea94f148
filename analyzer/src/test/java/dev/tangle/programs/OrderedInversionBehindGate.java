package dev.tangle.programs;

/**
 * The clean twin of the ordered inversions: the same orders (one thread taking a then b and b then a, and a
 * thread started after it taking b then a), but always under one gate lock, so no two of them can ever overlap.
 */
public final class OrderedInversionBehindGate {
    public static void main(String[] args) throws InterruptedException {
        Object gate = new Object();
        Object a = new Object();
        Object b = new Object();
        Thread first = new Thread(() -> {
            synchronized (gate) {
                synchronized (a) {
                    synchronized (b) {
                        Programs.pause(1);
                    }
                }
            }
            synchronized (gate) {
                synchronized (b) {
                    synchronized (a) {
                        Programs.pause(1);
                    }
                }
            }
        }, "first");
        first.start();
        first.join();
        Thread second = new Thread(() -> {
            synchronized (gate) {
                synchronized (b) {
                    synchronized (a) {
                        Programs.pause(1);
                    }
                }
            }
        }, "second");
        second.start();
        second.join();
    }
}
