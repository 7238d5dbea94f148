package dev.tangle.samples.inversion;

import dev.tangle.samples.Pause;

/**
 * A deadlock waiting to happen: posting a payment locks the account, then the ledger; the nightly audit locks the
 * ledger, then the account. This run they happen 300 ms apart, so nothing hangs, but had they overlapped each
 * would hold one lock and wait for the other. The lock-order graph (account before ledger, ledger before
 * account) has a cycle: a potential deadlock, found without the program ever hanging.
 */
public final class LockOrderInversion {
    private LockOrderInversion() {
    }

    static final class Account {
        long balance = 100;
    }

    static final class Ledger {
        long entries;
    }

    static void postPayment(Account account, Ledger ledger) {
        synchronized (account) {
            account.balance -= 10;
            synchronized (ledger) {
                ledger.entries++;
            }
        }
    }

    static void audit(Account account, Ledger ledger) {
        synchronized (ledger) {
            synchronized (account) {
                System.out.println("audit: " + ledger.entries + " entries, balance " + account.balance);
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Account account = new Account();
        Ledger ledger = new Ledger();
        Thread payments = new Thread(() -> postPayment(account, ledger), "payments");
        Thread auditor = new Thread(() -> {
            Pause.millis(300); // the audit runs later: this time the two paths do not overlap
            audit(account, ledger);
        }, "auditor");
        payments.start();
        auditor.start();
        payments.join();
        auditor.join();
    }
}
