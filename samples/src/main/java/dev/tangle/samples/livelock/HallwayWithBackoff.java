package dev.tangle.samples.livelock;

/**
 * The remedy for {@link Hallway}: after a failed try, each person waits a random number of beats (0 to 3) before
 * stepping out again. Soon one of them is still back when the other looks across, and the other gets by.
 */
public final class HallwayWithBackoff {
    private HallwayWithBackoff() {
    }

    public static void main(String[] args) throws InterruptedException {
        Hallway.meet(3);
    }
}
