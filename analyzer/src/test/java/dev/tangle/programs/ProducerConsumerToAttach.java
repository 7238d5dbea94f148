package dev.tangle.programs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A producer (main) and a consumer hand items over through a ReentrantLock and its Condition, and count them
 * under a monitor that a third thread, "holder", entered before and waits on forever. Main also sends each item's
 * receipt over a channel (a LinkedBlockingQueue) to an "auditor" thread that takes them. Runs until the file named
 * by the first argument exists (at most 60 s), then prints "done N" (the items consumed) and exits normally.
 * Prints "ready" once "holder" waits. Every lock operation happens in a method called anew for each item, so an
 * agent attached meanwhile sees them (a method running at attach time keeps its old code).
 */
public final class ProducerConsumerToAttach {
    private static final ReentrantLock lock = new ReentrantLock();
    private static final Condition notEmpty = lock.newCondition();
    private static final ArrayDeque<Integer> items = new ArrayDeque<>();
    private static final Object counter = new Object();
    private static final BlockingQueue<Integer> receipts = new LinkedBlockingQueue<>();
    private static long consumed;

    public static void main(String[] args) throws Exception {
        Path stop = Path.of(args[0]);
        long end = System.currentTimeMillis() + 60_000;
        Thread holder = new Thread(ProducerConsumerToAttach::holdAndWait, "holder");
        holder.setDaemon(true);
        holder.start();
        Thread consumer = new Thread(() -> {
            while (true) {
                take();
                count();
            }
        }, "consumer");
        consumer.setDaemon(true);
        consumer.start();
        Thread auditor = new Thread(() -> {
            while (true) {
                audit();
            }
        }, "auditor");
        auditor.setDaemon(true);
        auditor.start();
        while (holder.getState() != Thread.State.WAITING) {
            Thread.sleep(5);
        }
        System.out.println("ready");
        System.out.flush();
        for (int i = 0; !Files.exists(stop) && System.currentTimeMillis() < end; i++) {
            put(i);
            sendReceipt(i);
            Thread.sleep(2);
        }
        synchronized (counter) {
            System.out.println("done " + consumed);
        }
    }

    private static void holdAndWait() {
        synchronized (counter) {
            while (true) {
                try {
                    counter.wait();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static void sendReceipt(int item) throws InterruptedException {
        receipts.put(item);
    }

    private static void audit() {
        try {
            receipts.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void put(int item) {
        lock.lock();
        try {
            items.add(item);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    private static void take() {
        lock.lock();
        try {
            while (items.isEmpty()) {
                notEmpty.awaitUninterruptibly();
            }
            items.remove();
        } finally {
            lock.unlock();
        }
    }

    private static void count() {
        synchronized (counter) {
            consumed++;
        }
    }
}
