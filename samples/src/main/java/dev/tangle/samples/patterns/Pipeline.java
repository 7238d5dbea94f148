package dev.tangle.samples.patterns;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A correct pipeline with cancellation: a generator of order numbers, two pricing stages fanned out on the same
 * input, a fan-in merging their output, and a consumer that needs only the first 50 results and then cancels
 * the rest (interrupts every stage, Go's closed {@code done} channel). Every stage ends, and so does the program.
 */
public final class Pipeline {
    private Pipeline() {
    }

    /** A stage: a thread that ends when interrupted. */
    interface Body {
        void run() throws InterruptedException;
    }

    static Thread stage(String name, Body body, List<Thread> all) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (InterruptedException e) {
                // cancelled: end
            }
        }, name);
        all.add(t);
        t.start();
        return t;
    }

    public static void main(String[] args) throws InterruptedException {
        List<Thread> stages = new ArrayList<>();
        BlockingQueue<Integer> orders = new LinkedBlockingQueue<>(16);
        BlockingQueue<Integer> priced = new LinkedBlockingQueue<>(16);
        BlockingQueue<Integer> merged = new LinkedBlockingQueue<>(16);
        stage("generator", () -> {
            for (int order = 1; ; order++) {
                orders.put(order);
            }
        }, stages);
        for (int i = 1; i <= 2; i++) { // fan out: two pricers read the same orders
            stage("pricer-" + i, () -> {
                while (true) {
                    priced.put(orders.take() * 100);
                }
            }, stages);
        }
        stage("fan-in", () -> {
            while (true) {
                merged.put(priced.take());
            }
        }, stages);

        long total = 0;
        for (int i = 0; i < 50; i++) {
            total += merged.take();
        }
        for (Thread s : stages) {
            s.interrupt(); // done: cancel every stage
        }
        for (Thread s : stages) {
            s.join();
        }
        System.out.println("first 50 orders priced, total " + total + "; pipeline cancelled");
    }
}
