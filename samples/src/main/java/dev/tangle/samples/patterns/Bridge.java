package dev.tangle.samples.patterns;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A correct bridge: a channel of channels flattened into one. Each day's orders arrive on their own queue, and
 * the days arrive on a queue of queues; the bridge reads each day to its end marker, then the next day, and
 * hands a single stream of orders to the consumer. End markers close every level.
 */
public final class Bridge {
    private static final String END = "end";
    private static final BlockingQueue<String> NO_MORE_DAYS = new LinkedBlockingQueue<>();

    private Bridge() {
    }

    public static void main(String[] args) throws InterruptedException {
        BlockingQueue<BlockingQueue<String>> days = new LinkedBlockingQueue<>();
        BlockingQueue<String> orders = new LinkedBlockingQueue<>();
        Thread shop = new Thread(() -> {
            for (int day = 1; day <= 3; day++) {
                BlockingQueue<String> today = new LinkedBlockingQueue<>();
                days.add(today);
                for (int i = 1; i <= 5; i++) {
                    today.add("day " + day + " order " + i);
                }
                today.add(END);
            }
            days.add(NO_MORE_DAYS);
        }, "shop");
        Thread bridge = new Thread(() -> {
            try {
                for (BlockingQueue<String> day = days.take(); day != NO_MORE_DAYS; day = days.take()) {
                    for (String order = day.take(); !END.equals(order); order = day.take()) {
                        orders.put(order);
                    }
                }
                orders.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bridge");
        shop.start();
        bridge.start();
        int count = 0;
        for (String order = orders.take(); !END.equals(order); order = orders.take()) {
            count++;
        }
        shop.join();
        bridge.join();
        System.out.println(count + " orders from 3 days, read as one stream");
    }
}
