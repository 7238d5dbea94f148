package dev.tangle.samples.channels;

import dev.tangle.samples.HangNotice;

import java.util.concurrent.SynchronousQueue;

/**
 * Go's "all goroutines are asleep": a send on an unbuffered channel that nobody receives. The cashier hands the
 * order to the barista through a {@link SynchronousQueue} (an unbuffered channel: {@code put} waits for a
 * {@code take}), and main waits for the receipt on another one. But the barista is only started after main has
 * its receipt: the cashier waits in {@code put}, main waits in {@code take}, and nothing else runs.
 *
 * <p>It hangs for ever; see {@link HangNotice} for how {@code tangle demo} stops it.
 */
public final class ChannelDeadlock {
    private ChannelDeadlock() {
    }

    public static void main(String[] args) throws InterruptedException {
        HangNotice.after(700);
        SynchronousQueue<String> orders = new SynchronousQueue<>();
        SynchronousQueue<String> receipts = new SynchronousQueue<>();
        Thread cashier = new Thread(() -> {
            try {
                orders.put("two flat whites");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "cashier");
        cashier.start();

        String receipt = receipts.take(); // nobody can send it: the barista is not running yet
        Barista.start(orders, receipts);
        System.out.println("receipt: " + receipt);
    }

    /** Takes one order and sends back its receipt. */
    static final class Barista {
        private Barista() {
        }

        static Thread start(SynchronousQueue<String> orders, SynchronousQueue<String> receipts) {
            Thread barista = new Thread(() -> {
                try {
                    String order = orders.take();
                    receipts.put("paid: " + order);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "barista");
            barista.start();
            return barista;
        }
    }
}
