package dev.tangle.samples.patterns;

import dev.tangle.samples.Pause;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** A correct worker pool: 30 thumbnails rendered by three workers, results collected, the pool shut down. */
public final class WorkerPool {
    private WorkerPool() {
    }

    public static void main(String[] args) throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(3);
        try {
            List<Future<String>> thumbnails = new ArrayList<>();
            for (int photo = 1; photo <= 30; photo++) {
                int n = photo;
                thumbnails.add(workers.submit(() -> {
                    Pause.millis(5); // render
                    return "thumb-" + n;
                }));
            }
            int done = 0;
            for (Future<String> t : thumbnails) {
                t.get();
                done++;
            }
            System.out.println(done + " thumbnails rendered");
        } finally {
            workers.shutdown();
            workers.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
