package dev.tangle.programs;

import java.util.ArrayDeque;
import java.util.Deque;

/** Producer and consumer over a wait/notify queue; the producer ends the stream with a poison pill. */
public final class PoisonPillPipeline {
    private static final Integer POISON = -1;
    private final Deque<Integer> queue = new ArrayDeque<>();

    synchronized void put(Integer item) throws InterruptedException {
        while (queue.size() >= 8) {
            wait();
        }
        queue.addLast(item);
        notifyAll();
    }

    synchronized Integer take() throws InterruptedException {
        while (queue.isEmpty()) {
            wait();
        }
        Integer item = queue.removeFirst();
        notifyAll();
        return item;
    }

    public static void main(String[] args) throws InterruptedException {
        PoisonPillPipeline q = new PoisonPillPipeline();
        long[] sum = new long[1];
        Thread consumer = new Thread(() -> {
            try {
                for (Integer item = q.take(); !item.equals(POISON); item = q.take()) {
                    sum[0] += item;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "consumer");
        Thread producer = new Thread(() -> {
            try {
                for (int i = 0; i < 2000; i++) {
                    q.put(i);
                }
                q.put(POISON);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "producer");
        consumer.start();
        producer.start();
        Programs.join(producer, consumer);
        System.out.println("sum = " + sum[0]);
    }
}
