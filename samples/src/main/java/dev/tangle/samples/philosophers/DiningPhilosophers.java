package dev.tangle.samples.philosophers;

import dev.tangle.samples.Pause;

/**
 * Five philosophers round a table with one fork between each two. Each picks up the fork on the left, then the
 * one on the right. When all five pick up their left fork at once, every right fork is someone's left fork: a
 * cycle of five, and they starve at the table.
 *
 * <p>The philosophers are daemon threads and {@code main} gives up after half a second, so the program ends.
 */
public final class DiningPhilosophers {
    static final int SEATS = 5;

    private DiningPhilosophers() {
    }

    /** A fork is just something to hold: its monitor. */
    static final class Fork {
        final int number;

        Fork(int number) {
            this.number = number;
        }
    }

    static void dine(Fork left, Fork right) {
        synchronized (left) {
            Pause.millis(100); // admire the fork
            synchronized (right) {
                System.out.println(Thread.currentThread().getName() + " eats");
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Fork[] forks = new Fork[SEATS];
        for (int i = 0; i < SEATS; i++) {
            forks[i] = new Fork(i);
        }
        Thread[] philosophers = new Thread[SEATS];
        for (int i = 0; i < SEATS; i++) {
            Fork left = forks[i];
            Fork right = forks[(i + 1) % SEATS];
            philosophers[i] = new Thread(() -> dine(left, right), "philosopher-" + (i + 1));
            philosophers[i].setDaemon(true);
            philosophers[i].start();
        }
        Pause.joinAtMost(500, philosophers);
        System.out.println("deadlock: every philosopher holds the left fork and waits for the right one;"
                + " gave up after half a second");
    }
}
