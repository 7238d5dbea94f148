package dev.tangle.samples.patterns;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A correct tee: every payment read from one queue goes to two consumers, the ledger and the fraud check, each
 * on its own bounded queue; an end marker reaches both and ends them.
 */
public final class Tee {
    private static final long END = -1;

    private Tee() {
    }

    static Thread consumer(String name, BlockingQueue<Long> in, long[] total, int slot) {
        Thread t = new Thread(() -> {
            try {
                for (long amount = in.take(); amount != END; amount = in.take()) {
                    total[slot] += amount;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        t.start();
        return t;
    }

    public static void main(String[] args) throws InterruptedException {
        BlockingQueue<Long> payments = new LinkedBlockingQueue<>(8);
        BlockingQueue<Long> toLedger = new LinkedBlockingQueue<>(8);
        BlockingQueue<Long> toFraudCheck = new LinkedBlockingQueue<>(8);
        long[] totals = new long[2];
        Thread ledger = consumer("ledger", toLedger, totals, 0);
        Thread fraudCheck = consumer("fraud-check", toFraudCheck, totals, 1);
        Thread tee = new Thread(() -> {
            try {
                for (long amount = payments.take(); ; amount = payments.take()) {
                    toLedger.put(amount);
                    toFraudCheck.put(amount);
                    if (amount == END) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tee");
        tee.start();
        for (long amount = 1; amount <= 500; amount++) {
            payments.put(amount);
        }
        payments.put(END);
        tee.join();
        ledger.join();
        fraudCheck.join();
        System.out.println("ledger saw " + totals[0] + ", fraud check saw " + totals[1]);
    }
}
