package dev.tangle.samples.channels;

import java.util.concurrent.SynchronousQueue;

/**
 * The remedy for {@link PartialDeadlock}: the two sides of an exchange must agree on who sends first, so they
 * must count batches the same way. The bank swaps its empty batch too (a total of 0) instead of skipping it, so
 * on every batch one side receives first, each unbuffered hand-off has a taker, both reconcilers finish and the
 * program ends normally.
 */
public final class OneSideReceivesFirst {
    private OneSideReceivesFirst() {
    }

    public static void main(String[] args) throws InterruptedException {
        SynchronousQueue<Long> ledgerToBank = new SynchronousQueue<>();
        SynchronousQueue<Long> bankToLedger = new SynchronousQueue<>();
        Thread ledger = PartialDeadlock.reconciler("ledger-reconciler", new long[] {1200, 870, 0, 415, 990},
                ledgerToBank, bankToLedger, true, false);
        Thread bank = PartialDeadlock.reconciler("bank-reconciler", new long[] {1150, 870, 0, 415, 990},
                bankToLedger, ledgerToBank, false, false);
        System.out.println("served " + PartialDeadlock.serve(10) + " requests");
        ledger.join();
        bank.join();
    }
}
