package dev.tangle.samples.deadlock;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * Lock-order inversion, the "printSum" lesson of Go's concurrency talks told in Java: {@code printSum(a, b)}
 * locks {@code a} then {@code b}, {@code printSum(b, a)} locks {@code b} then {@code a}. Run on two threads at
 * once, each takes its first lock, pauses, and then waits forever for the lock the other one holds.
 *
 * <p>The workers are daemon threads and {@code main} waits for them at most half a second, says what happened
 * and returns, so the program always ends (with exit code 0) even though the two workers never do.
 */
public final class PrintSumDeadlock {
    /** How long each worker holds its first lock before asking for the second: long enough to always deadlock. */
    private static final long PAUSE_MILLIS = 100;
    private static final long GIVE_UP_MILLIS = 500;

    private PrintSumDeadlock() {
    }

    /** A value that is locked while it is read, as Go's example does with a mutex in the struct. */
    static final class Value {
        final String name;
        final int amount;

        Value(String name, int amount) {
            this.name = name;
            this.amount = amount;
        }
    }

    static void printSum(Value first, Value second) {
        synchronized (first) {
            pause();
            synchronized (second) {
                System.out.println("sum of " + first.name + " and " + second.name + " = "
                        + (first.amount + second.amount));
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Value a = new Value("a", 1);
        Value b = new Value("b", 2);
        Thread ab = worker("printSum(a, b)", a, b);
        Thread ba = worker("printSum(b, a)", b, a);
        ab.start();
        ba.start();

        long deadline = System.currentTimeMillis() + GIVE_UP_MILLIS;
        ab.join(GIVE_UP_MILLIS);
        ba.join(Math.max(1, deadline - System.currentTimeMillis()));

        if (!ab.isAlive() && !ba.isAlive()) {
            System.out.println("both sums printed: no deadlock this time");
            return;
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (Thread t : new Thread[] {ab, ba}) {
            ThreadInfo info = threads.getThreadInfo(t.getId());
            if (info != null && info.getLockInfo() != null) {
                int hash = info.getLockInfo().getIdentityHashCode();
                String lock = hash == System.identityHashCode(a) ? "a" : hash == System.identityHashCode(b) ? "b"
                        : info.getLockName();
                System.out.println(t.getName() + " is " + info.getThreadState() + ", waiting for " + lock
                        + " which " + info.getLockOwnerName() + " holds");
            } else {
                System.out.println(t.getName() + " is " + t.getState());
            }
        }
        System.out.println("deadlock: each thread holds one value and waits for the other;"
                + " gave up after " + GIVE_UP_MILLIS + " ms");
    }

    private static Thread worker(String name, Value first, Value second) {
        Thread t = new Thread(() -> printSum(first, second), name);
        t.setDaemon(true);
        return t;
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
