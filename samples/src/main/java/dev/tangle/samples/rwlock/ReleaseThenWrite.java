package dev.tangle.samples.rwlock;

/**
 * The remedy for {@link ReadWriteUpgrade}: release the read lock, then take the write lock and check again
 * (another writer may have filled the entry in between).
 */
public final class ReleaseThenWrite {
    private ReleaseThenWrite() {
    }

    public static void main(String[] args) throws InterruptedException {
        ReadWriteUpgrade.PriceCache cache = new ReadWriteUpgrade.PriceCache();
        Thread refresher = new Thread(() -> System.out.println("kettle: " + cache.priceReleasingFirst("kettle")),
                "cache-refresher");
        refresher.start();
        refresher.join();
    }
}
