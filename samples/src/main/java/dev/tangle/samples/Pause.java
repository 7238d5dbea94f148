package dev.tangle.samples;

/** Sleeps without a checked exception, keeping the interrupt for the caller to see. */
public final class Pause {
    private Pause() {
    }

    public static void millis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Joins the threads, waiting at most {@code millis} in all; the scenarios that deadlock give up this way. */
    public static void joinAtMost(long millis, Thread... threads) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        for (Thread t : threads) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left > 0) {
                t.join(left);
            }
        }
    }
}
