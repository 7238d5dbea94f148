package dev.tangle.samples.inversion;

import dev.tangle.samples.Pause;

/**
 * The remedy for {@link LockOrderInversion}: the audit takes the locks in the same order as payments do
 * (account, then ledger), so no interleaving can make them wait for each other.
 */
public final class OneLockOrder {
    private OneLockOrder() {
    }

    public static void main(String[] args) throws InterruptedException {
        LockOrderInversion.Account account = new LockOrderInversion.Account();
        LockOrderInversion.Ledger ledger = new LockOrderInversion.Ledger();
        Thread payments = new Thread(() -> LockOrderInversion.postPayment(account, ledger), "payments");
        Thread auditor = new Thread(() -> {
            Pause.millis(300);
            synchronized (account) {
                synchronized (ledger) {
                    System.out.println("audit: " + ledger.entries + " entries, balance " + account.balance);
                }
            }
        }, "auditor");
        payments.start();
        auditor.start();
        payments.join();
        auditor.join();
    }
}
