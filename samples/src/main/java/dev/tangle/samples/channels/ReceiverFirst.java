package dev.tangle.samples.channels;

import java.util.concurrent.SynchronousQueue;

/**
 * The remedy for {@link ChannelDeadlock}: start the receiver before anyone waits for what it sends. The barista
 * is running when the cashier puts the order, so every unbuffered hand-off has someone on the other side.
 */
public final class ReceiverFirst {
    private ReceiverFirst() {
    }

    public static void main(String[] args) throws InterruptedException {
        SynchronousQueue<String> orders = new SynchronousQueue<>();
        SynchronousQueue<String> receipts = new SynchronousQueue<>();
        Thread barista = ChannelDeadlock.Barista.start(orders, receipts);
        Thread cashier = new Thread(() -> {
            try {
                orders.put("two flat whites");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "cashier");
        cashier.start();

        String receipt = receipts.take();
        System.out.println("receipt: " + receipt);
        cashier.join();
        barista.join();
    }
}
