package dev.tangle.programs;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A daemon consumer whose only producer died of an exception: "producer" sends three items, then fails; "consumer"
 * (a daemon) takes them and waits in take() for ever. The program ends normally; the work after the failure is
 * silently lost.
 */
public final class DaemonConsumerOfDeadProducer {
    public static void main(String[] args) throws InterruptedException {
        BlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
        Thread consumer = new Thread(() -> {
            try {
                while (true) {
                    queue.take();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "consumer");
        consumer.setDaemon(true);
        consumer.start();
        Thread producer = new Thread(() -> {
            for (int i = 0; i < 3; i++) {
                queue.add(i);
            }
            throw new IllegalStateException("the source went away");
        }, "producer");
        producer.setUncaughtExceptionHandler((t, e) -> { }); // keep the child's output quiet
        producer.start();
        producer.join();
        while (!queue.isEmpty()) { // the consumer took all three, then waits in its fourth take()
            Programs.pause(5);
        }
        Programs.awaitWaiting(consumer); // then the program ends
    }
}
