package dev.tangle.samples.leak;

import dev.tangle.samples.Pause;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Go's leaked goroutine: a worker reads from a channel that nobody ever writes to or closes. Each request starts
 * a receipt printer that takes lines from a queue; the request handler then fails early and returns without
 * sending a line or telling the printer to stop. The printer waits in {@code take()} for ever, one more thread per
 * request. The server goes on and finally exits with {@code System.exit}, the only way out while such threads
 * live.
 */
public final class LeakedReader {
    private LeakedReader() {
    }

    /** Prints every line it is given until it is interrupted (the done signal). */
    static Thread startPrinter(int request, BlockingQueue<String> lines) {
        Thread printer = new Thread(() -> {
            try {
                while (true) {
                    System.out.println("receipt: " + lines.take());
                }
            } catch (InterruptedException e) {
                System.out.println(Thread.currentThread().getName() + " stopped");
            }
        }, "receipt-printer-" + request);
        printer.start();
        return printer;
    }

    static void handle(int request, String card) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        startPrinter(request, lines);
        if (card.startsWith("0000")) {
            System.out.println("request " + request + ": card declined"); // returns; the printer waits on
            return;
        }
        lines.add("paid with " + card);
        lines.add("thank you");
    }

    public static void main(String[] args) {
        for (int request = 1; request <= 3; request++) {
            handle(request, "0000-000" + request); // every card today is declined
            Pause.millis(50);
        }
        Pause.millis(200); // the server goes on; three printers wait for lines that will never come
        System.exit(0);
    }
}
