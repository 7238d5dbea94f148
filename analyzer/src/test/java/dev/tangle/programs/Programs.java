package dev.tangle.programs;

/** Helpers of the recorded programs. */
final class Programs {
    private Programs() {
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void join(Thread... threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join(10_000);
        }
    }
}
