package dev.tangle.samples.deadlock;

import dev.tangle.samples.Pause;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The remedy for {@link TellerCycle}: a teller that cannot get the target account within a short timeout lets go
 * of the source too, backs off for a random time and tries again, so the cycle never holds for ever.
 */
public final class TellerBackoff {
    private TellerBackoff() {
    }

    static final class Account {
        final ReentrantLock lock = new ReentrantLock();
        long balance = 100;
    }

    static void transfer(Account from, Account to, long amount) throws InterruptedException {
        while (true) {
            if (from.lock.tryLock(20, TimeUnit.MILLISECONDS)) {
                try {
                    Pause.millis(100);
                    if (to.lock.tryLock(20, TimeUnit.MILLISECONDS)) {
                        try {
                            from.balance -= amount;
                            to.balance += amount;
                            return;
                        } finally {
                            to.lock.unlock();
                        }
                    }
                } finally {
                    from.lock.unlock();
                }
            }
            Thread.sleep(ThreadLocalRandom.current().nextLong(10, 150)); // let another teller finish first
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Account[] accounts = {new Account(), new Account(), new Account()};
        Thread[] tellers = new Thread[3];
        for (int i = 0; i < 3; i++) {
            Account from = accounts[i];
            Account to = accounts[(i + 1) % 3];
            tellers[i] = new Thread(() -> {
                try {
                    transfer(from, to, 10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "teller-" + (i + 1));
            tellers[i].start();
        }
        for (Thread t : tellers) {
            t.join();
        }
        System.out.println("all three transfers done: a teller that cannot get both accounts backs off");
    }
}
