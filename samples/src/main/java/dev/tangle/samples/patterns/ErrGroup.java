package dev.tangle.samples.patterns;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A correct error group (Go's errgroup): four downloads run together; the first one to fail cancels the others
 * ({@code shutdownNow} interrupts them, and they honour it), and its error is the group's result. Every worker
 * ends, and the pool is awaited.
 */
public final class ErrGroup {
    private ErrGroup() {
    }

    static String download(String mirror, boolean broken) throws InterruptedException {
        for (int chunk = 0; chunk < 100; chunk++) {
            if (broken && chunk == 5) {
                throw new IllegalStateException(mirror + ": connection reset");
            }
            Thread.sleep(10); // a chunk; throws when cancelled
        }
        return mirror + ": complete";
    }

    public static void main(String[] args) throws InterruptedException {
        ExecutorService group = Executors.newFixedThreadPool(4);
        ExecutorCompletionService<String> downloads = new ExecutorCompletionService<>(group);
        String[] mirrors = {"eu", "us", "asia", "backup"};
        for (String mirror : mirrors) {
            downloads.submit(() -> download(mirror, mirror.equals("asia")));
        }
        String error = null;
        for (int i = 0; i < mirrors.length && error == null; i++) {
            try {
                System.out.println(downloads.take().get());
            } catch (ExecutionException e) {
                error = e.getCause().getMessage();
                group.shutdownNow(); // the first error cancels the rest
            }
        }
        group.shutdown();
        group.awaitTermination(5, TimeUnit.SECONDS);
        System.out.println("group failed: " + error);
    }
}
