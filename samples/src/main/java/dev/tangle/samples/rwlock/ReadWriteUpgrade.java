package dev.tangle.samples.rwlock;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A read lock cannot be upgraded: a cache reader finds an entry stale and, still holding the read lock, asks for
 * the write lock to refresh it. The write lock waits for every reader to leave, including this one: the thread
 * waits for itself, a deadlock of one.
 *
 * <p>The refresher is a daemon thread and {@code main} gives up after half a second, so the program ends.
 */
public final class ReadWriteUpgrade {
    private ReadWriteUpgrade() {
    }

    static final class PriceCache {
        final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        final Map<String, Integer> prices = new HashMap<>();

        int priceWithUpgrade(String item) {
            lock.readLock().lock();
            try {
                Integer price = prices.get(item);
                if (price == null) {
                    lock.writeLock().lock(); // waits for all readers to leave, this one included
                    try {
                        price = load(item);
                        prices.put(item, price);
                    } finally {
                        lock.writeLock().unlock();
                    }
                }
                return price;
            } finally {
                lock.readLock().unlock();
            }
        }

        int priceReleasingFirst(String item) {
            lock.readLock().lock();
            try {
                Integer price = prices.get(item);
                if (price != null) {
                    return price;
                }
            } finally {
                lock.readLock().unlock();
            }
            lock.writeLock().lock();
            try {
                return prices.computeIfAbsent(item, PriceCache::load); // checked again: another thread may have
            } finally {
                lock.writeLock().unlock();
            }
        }

        static int load(String item) {
            return item.length() * 100;
        }
    }

    public static void main(String[] args) throws InterruptedException {
        PriceCache cache = new PriceCache();
        Thread refresher = new Thread(() -> System.out.println("kettle: " + cache.priceWithUpgrade("kettle")),
                "cache-refresher");
        refresher.setDaemon(true);
        refresher.start();
        refresher.join(500);
        System.out.println("cache-refresher is " + refresher.getState()
                + ": it holds the read lock and waits for the write lock; gave up after half a second");
    }
}
