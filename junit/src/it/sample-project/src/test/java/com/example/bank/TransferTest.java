package com.example.bank;

import dev.tangle.junit.DetectConcurrencyBugs;
import org.junit.jupiter.api.Test;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each test is one behaviour SampleProjectIT checks in the surefire report. */
@DetectConcurrencyBugs
class TransferTest {
    /** Two transfers in opposite directions, each holding its first account when the other starts: hangs. */
    @Test
    void deadlocks() throws InterruptedException {
        Account a = new Account("a", 100);
        Account b = new Account("b", 100);
        CountDownLatch bothHoldTheirFirst = new CountDownLatch(2);
        Runnable meet = () -> {
            bothHoldTheirFirst.countDown();
            try {
                bothHoldTheirFirst.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Thread alpha = new Thread(() -> a.transferTo(b, 10, meet), "alpha");
        Thread beta = new Thread(() -> b.transferTo(a, 10, meet), "beta");
        alpha.start();
        beta.start();
        alpha.join();
        beta.join();
    }

    /** Starts a consumer that waits for ever on a queue nobody fills, and returns. */
    @Test
    void leaksConsumer() {
        BlockingQueue<String> orders = new LinkedBlockingQueue<>();
        Thread consumer = new Thread(() -> {
            try {
                orders.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "order-consumer");
        consumer.start();
    }

    /** Transfers on two threads, one after the other's start, both joined: correct. */
    @Test
    void transfersAndJoins() throws InterruptedException {
        Account a = new Account("a", 100);
        Account b = new Account("b", 100);
        Thread first = new Thread(() -> a.transferTo(b, 30, () -> { }), "transfer-1");
        Thread second = new Thread(() -> a.transferTo(b, 20, () -> { }), "transfer-2");
        first.start();
        second.start();
        first.join();
        second.join();
        assertEquals(150, b.balance());
    }
}
