package dev.tangle.samples.leak;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The remedy for {@link LeakedReader}: whoever starts the printer stops it. The handler interrupts it when it
 * returns, on every path (the done signal), and the printer, blocked in {@code take()}, honours the interrupt and
 * ends. The program ends normally, no {@code System.exit} needed.
 */
public final class CancelledReader {
    private CancelledReader() {
    }

    static Thread handle(int request) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread printer = LeakedReader.startPrinter(request, lines);
        try {
            System.out.println("request " + request + ": card declined");
            return printer;
        } finally {
            printer.interrupt(); // done: stop the worker this call started
        }
    }

    public static void main(String[] args) throws InterruptedException {
        List<Thread> printers = new ArrayList<>();
        for (int request = 1; request <= 3; request++) {
            printers.add(handle(request));
        }
        for (Thread printer : printers) {
            printer.join();
        }
    }
}
