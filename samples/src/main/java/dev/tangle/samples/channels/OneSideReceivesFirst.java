package dev.tangle.samples.channels;

import java.util.concurrent.SynchronousQueue;

/**
 * The remedy for {@link PartialDeadlock}: the two sides of an exchange must not both send first. One receives
 * first, so each unbuffered hand-off has a taker; both reconcilers finish and the program ends normally.
 */
public final class OneSideReceivesFirst {
    private OneSideReceivesFirst() {
    }

    public static void main(String[] args) throws InterruptedException {
        SynchronousQueue<Long> ledgerToBank = new SynchronousQueue<>();
        SynchronousQueue<Long> bankToLedger = new SynchronousQueue<>();
        Thread ledger = PartialDeadlock.reconciler("ledger-reconciler", 1200, ledgerToBank, bankToLedger, false);
        Thread bank = PartialDeadlock.reconciler("bank-reconciler", 1150, bankToLedger, ledgerToBank, true);
        System.out.println("served " + PartialDeadlock.serve(10) + " requests");
        ledger.join();
        bank.join();
    }
}
