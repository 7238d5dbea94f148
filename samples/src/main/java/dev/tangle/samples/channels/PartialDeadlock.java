package dev.tangle.samples.channels;

import dev.tangle.samples.Pause;

import java.util.concurrent.SynchronousQueue;

/**
 * A partial deadlock: two reconcilers swap their totals over a pair of unbuffered channels, and each one sends
 * before it receives. Both wait in {@code put} for a {@code take} the other will never reach. Nothing else
 * notices: the rest of the program keeps serving requests, and the two threads are simply gone. Go's runtime
 * cannot see this one ("all goroutines are asleep" needs all of them); it takes a look at who could ever wake
 * the waiters.
 *
 * <p>After serving its requests for about a second, the program shuts down with {@code System.exit}, the two
 * reconcilers still waiting.
 */
public final class PartialDeadlock {
    private PartialDeadlock() {
    }

    static Thread reconciler(String name, long total, SynchronousQueue<Long> out, SynchronousQueue<Long> in,
            boolean receiveFirst) {
        Thread t = new Thread(() -> {
            try {
                long theirs;
                if (receiveFirst) {
                    theirs = in.take();
                    out.put(total);
                } else {
                    out.put(total); // the other one is sending too: nobody takes
                    theirs = in.take();
                }
                System.out.println(Thread.currentThread().getName() + ": totals differ by " + (total - theirs));
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
        reconciler("ledger-reconciler", 1200, ledgerToBank, bankToLedger, false);
        reconciler("bank-reconciler", 1150, bankToLedger, ledgerToBank, false);
        System.out.println("served " + serve(50) + " requests; shutting down");
        System.exit(0);
    }
}
