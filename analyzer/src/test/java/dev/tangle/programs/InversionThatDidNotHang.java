package dev.tangle.programs;

/**
 * A lock-order inversion that did not hang this time: "forward" takes a then b at once, "backward" takes b then a
 * 300 ms later, when forward is long done. Another schedule deadlocks.
 */
public final class InversionThatDidNotHang {
    public static void main(String[] args) throws InterruptedException {
        Object a = new Object();
        Object b = new Object();
        Thread forward = new Thread(() -> {
            synchronized (a) {
                synchronized (b) {
                    Programs.pause(1);
                }
            }
        }, "forward");
        Thread backward = new Thread(() -> {
            Programs.pause(300);
            synchronized (b) {
                synchronized (a) {
                    Programs.pause(1);
                }
            }
        }, "backward");
        forward.start();
        backward.start();
        Programs.join(forward, backward);
    }
}
