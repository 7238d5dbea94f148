package dev.tangle.samples.channels;

import dev.tangle.samples.Pause;

import java.util.concurrent.SynchronousQueue;

/**
 * A partial deadlock: a ledger reconciler and a bank reconciler swap their batch totals over a pair of
 * unbuffered channels. Who sends first is decided by each side from its own batch number (even batches: the
 * ledger sends first, odd batches: the bank). The bank skips an empty batch without telling the ledger, so from
 * then on both think it is their turn to send: both wait in {@code put} for a {@code take} the other will never
 * reach. Nothing else notices: the rest of the program keeps serving requests, and the two threads are simply
 * gone. Go's runtime cannot see this one ("all goroutines are asleep" needs all of them); it takes a look at who
 * could ever wake the waiters: only these two ever used these channels.
 *
 * <p>After serving its requests for about a second, the program shuts down with {@code System.exit}, the two
 * reconcilers still waiting.
 */
public final class PartialDeadlock {
    private PartialDeadlock() {
    }

    /**
     * Swaps each batch total with the other side; {@code sendsOnEven} says whether this side sends first on even
     * batch numbers, {@code skipsEmptyBatches} whether it (wrongly) skips a batch with nothing in it.
     */
    static Thread reconciler(String name, long[] batchTotals, SynchronousQueue<Long> out, SynchronousQueue<Long> in,
            boolean sendsOnEven, boolean skipsEmptyBatches) {
        Thread t = new Thread(() -> {
            try {
                for (int batch = 0; batch < batchTotals.length; batch++) {
                    long total = batchTotals[batch];
                    if (total == 0 && skipsEmptyBatches) {
                        continue; // the bug: an empty batch is skipped without telling the other side
                    }
                    boolean sendFirst = (batch % 2 == 0) == sendsOnEven;
                    long theirs;
                    if (sendFirst) {
                        out.put(total);
                        theirs = in.take();
                    } else {
                        theirs = in.take();
                        out.put(total);
                    }
                    System.out.println(Thread.currentThread().getName() + ": batch " + batch
                            + " totals differ by " + (total - theirs));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        t.start();
        return t;
    }

    /** The rest of the program: answers a request every 20 ms. */
    static int serve(int requests) {
        int served = 0;
        for (int i = 0; i < requests; i++) {
            Pause.millis(20);
            served++;
        }
        return served;
    }

    public static void main(String[] args) {
        SynchronousQueue<Long> ledgerToBank = new SynchronousQueue<>();
        SynchronousQueue<Long> bankToLedger = new SynchronousQueue<>();
        reconciler("ledger-reconciler", new long[] {1200, 870, 415, 990}, ledgerToBank, bankToLedger, true, true);
        reconciler("bank-reconciler", new long[] {1150, 870, 0, 415, 990}, bankToLedger, ledgerToBank, false, true);
        System.out.println("served " + serve(50) + " requests; shutting down");
        System.exit(0);
    }
}
