package dev.tangle.agent.bootstrap;

/**
 * The agent's two clocks, both in nanoseconds since recording began.
 *
 * <p>{@code System.nanoTime()} costs about 20 ns here, more than a whole uncontended lock, so events that cannot
 * block for long (uncontended acquire and release, notify, signal) read {@link #coarse()}, a volatile that a
 * ticker thread advances every few hundred microseconds. Events that begin or end real blocking read
 * {@link #precise()}. Per-thread and per-object monotonicity is enforced by the recorder, so event order stays
 * right even where the coarse clock lags the precise one.
 */
public final class Clock {
    private static long origin = System.nanoTime();
    private static volatile long coarse;

    private Clock() {
    }

    static void start(long originNanos) {
        origin = originNanos;
        coarse = 0;
    }

    public static long origin() {
        return origin;
    }

    public static long precise() {
        return System.nanoTime() - origin;
    }

    public static long coarse() {
        return coarse;
    }

    /** Called by the ticker thread only. */
    static void tick() {
        coarse = System.nanoTime() - origin;
    }
}
