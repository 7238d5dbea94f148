package dev.tangle.samples.philosophers;

import dev.tangle.samples.Pause;

/**
 * The remedy for {@link DiningPhilosophers}: forks are numbered and everyone picks up the lower-numbered one
 * first. The last philosopher thus reaches for the same fork as the first, one of them waits empty-handed, and
 * the cycle cannot close. (A waiter that lets only four sit down at once also works, but only the fork order
 * shows in the locks: a lock-order check would still see the five-fork cycle.)
 */
public final class OrderedForks {
    static final int SEATS = 5;

    private OrderedForks() {
    }

    static final class Fork {
        final int number;

        Fork(int number) {
            this.number = number;
        }
    }

    static void dine(Fork left, Fork right) {
        Fork first = left.number < right.number ? left : right;
        Fork second = first == left ? right : left;
        for (int meal = 0; meal < 3; meal++) {
            synchronized (first) {
                Pause.millis(10);
                synchronized (second) {
                    Pause.millis(5); // eat
                }
            }
            Pause.millis(10); // think
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
            philosophers[i].start();
        }
        for (Thread p : philosophers) {
            p.join();
        }
        System.out.println("everyone ate three times: forks are always picked up lower number first");
    }
}
