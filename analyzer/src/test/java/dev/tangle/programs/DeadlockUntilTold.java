package dev.tangle.programs;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * ABBA on two monitors by two daemon threads, then main prints "deadlocked" and waits (at most two minutes) for
 * the file named by its argument to exist before it returns: the program runs on, deadlocked, for as long as the
 * test wants (a live collector must see the deadlock while it does).
 */
public final class DeadlockUntilTold {
    public static void main(String[] args) throws Exception {
        Object a = new Object();
        Object b = new Object();
        Thread ab = worker("ab", a, b);
        Thread ba = worker("ba", b, a);
        ab.start();
        ba.start();
        while (ab.getState() != Thread.State.BLOCKED || ba.getState() != Thread.State.BLOCKED) {
            Programs.pause(10);
        }
        System.out.println("deadlocked");
        Path go = Path.of(args[0]);
        long deadline = System.currentTimeMillis() + 120_000;
        while (!Files.exists(go) && System.currentTimeMillis() < deadline) {
            Programs.pause(20);
        }
    }

    private static Thread worker(String name, Object first, Object second) {
        Thread t = new Thread(() -> {
            synchronized (first) {
                Programs.pause(100);
                synchronized (second) {
                    System.out.println(name + " got both");
                }
            }
        }, name);
        t.setDaemon(true);
        return t;
    }
}
