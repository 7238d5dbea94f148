package dev.tangle.samples.patterns;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A correct or-done reader: it reads a feed of prices until either the feed ends or someone says "done". Every
 * read waits for a bounded time and checks the done signal (a {@link CountDownLatch}), so the reader can always
 * be stopped, however silent the feed. Here main says done after 20 prices while the feed would go on.
 */
public final class OrDone {
    private OrDone() {
    }

    /** The next item, or null once {@code done} is signalled. */
    static <T> T next(BlockingQueue<T> in, CountDownLatch done) throws InterruptedException {
        while (done.getCount() > 0) {
            T item = in.poll(10, TimeUnit.MILLISECONDS);
            if (item != null) {
                return item;
            }
        }
        return null;
    }

    public static void main(String[] args) throws InterruptedException {
        BlockingQueue<Integer> feed = new LinkedBlockingQueue<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread ticker = new Thread(() -> {
            for (int price = 100; done.getCount() > 0; price++) {
                feed.add(price);
                try {
                    done.await(2, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "ticker");
        AtomicInteger read = new AtomicInteger();
        Thread reader = new Thread(() -> {
            try {
                for (Integer price = next(feed, done); price != null; price = next(feed, done)) {
                    read.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "reader");
        ticker.start();
        reader.start();
        while (read.get() < 20) {
            Thread.sleep(5);
        }
        done.countDown();
        ticker.join();
        reader.join();
        System.out.println("the reader stopped when told to, after " + read.get() + " prices");
    }
}
