package dev.tangle.samples.deadlock;

import dev.tangle.samples.Pause;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A deadlock of three with {@link ReentrantLock}s: three tellers each move money from one account to the next
 * (a to b, b to c, c to a), locking the source, then the target. Each gets its source and waits for a target that
 * the next teller holds: a cycle of three, and {@code lock()} waits for ever.
 *
 * <p>The tellers are daemon threads and {@code main} gives up after half a second, so the program ends by itself.
 */
public final class TellerCycle {
    private TellerCycle() {
    }

    static final class Account {
        final String name;
        final ReentrantLock lock = new ReentrantLock();
        long balance = 100;

        Account(String name) {
            this.name = name;
        }
    }

    static void transfer(Account from, Account to, long amount) {
        from.lock.lock();
        try {
            Pause.millis(100); // check the balance, write the journal...
            to.lock.lock();
            try {
                from.balance -= amount;
                to.balance += amount;
            } finally {
                to.lock.unlock();
            }
        } finally {
            from.lock.unlock();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Account[] accounts = {new Account("a"), new Account("b"), new Account("c")};
        Thread[] tellers = new Thread[3];
        for (int i = 0; i < 3; i++) {
            Account from = accounts[i];
            Account to = accounts[(i + 1) % 3];
            tellers[i] = new Thread(() -> transfer(from, to, 10), "teller-" + (i + 1));
            tellers[i].setDaemon(true);
            tellers[i].start();
        }
        Pause.joinAtMost(500, tellers);
        for (Thread t : tellers) {
            System.out.println(t.getName() + " is " + t.getState());
        }
        System.out.println("deadlock: each teller holds its source account and waits for the next one's;"
                + " gave up after half a second");
    }
}
